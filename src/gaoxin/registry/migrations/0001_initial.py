# The registry's tables, first created by core's 0001_initial (then labelled core.*).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Enterprise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='企业名称')),
                ('uscc', models.CharField(max_length=18, verbose_name='统一社会信用代码')),
                ('industry', models.CharField(blank=True, max_length=40, verbose_name='行业')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('contact_name', models.CharField(blank=True, max_length=40, verbose_name='联系人')),
                ('contact_phone_cipher', models.TextField(blank=True, editable=False, verbose_name='联系电话（密文）')),
                ('contact_phone_masked', models.CharField(blank=True, editable=False, max_length=20, verbose_name='联系电话')),
                ('is_new_economy', models.BooleanField(default=False, verbose_name='新业态企业')),
                ('name_initials', models.CharField(blank=True, editable=False, max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '企业',
                'verbose_name_plural': '企业',
                'ordering': ['zone_id', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('name_pinyin', models.CharField(blank=True, editable=False, max_length=200, verbose_name='姓名拼音')),
                ('name_initials', models.CharField(blank=True, editable=False, max_length=200, verbose_name='拼音首字母')),
                ('id_number_cipher', models.TextField(blank=True, editable=False)),
                ('id_number_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('id_number_masked', models.CharField(blank=True, editable=False, max_length=18, verbose_name='身份证号')),
                ('phone_cipher', models.TextField(blank=True, editable=False)),
                ('phone_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('phone_masked', models.CharField(blank=True, editable=False, max_length=20, verbose_name='手机号码')),
                ('gender', models.CharField(blank=True, choices=[('M', '男'), ('F', '女')], max_length=1, verbose_name='性别')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='出生日期')),
                ('role', models.CharField(choices=[('worker', '新就业形态劳动者'), ('enterprise_contact', '企业联系人'), ('resident', '居民'), ('party_member', '党员'), ('other', '其他')], default='worker', max_length=30, verbose_name='身份')),
                ('job_type', models.CharField(blank=True, choices=[('courier', '快递员'), ('food_delivery', '外卖骑手'), ('ride_hailing', '网约车司机'), ('truck_driver', '货车司机'), ('designated_driver', '代驾司机'), ('other', '其他')], max_length=30, verbose_name='职业类型')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('employer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='people', to='registry.enterprise', verbose_name='所在企业')),
                ('zone', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.zone', verbose_name='园区')),
            ],
            options={
                'verbose_name': '人员',
                'verbose_name_plural': '人员',
                'ordering': ['zone_id', 'name_pinyin', 'id'],
                'permissions': [('reveal_person', '查看完整身份证号和手机号')],
            },
        ),
        migrations.AddField(
            model_name='enterprise',
            name='zone',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.zone', verbose_name='园区'),
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='部门名称')),
                ('kind', models.CharField(choices=[('hrss', '人力资源和社会保障局'), ('market', '市场监督管理局'), ('social_work', '社会工作局'), ('union', '总工会'), ('party', '党工委'), ('investment', '投资促进部门'), ('other', '其他')], max_length=20, verbose_name='类别')),
                ('contact_name', models.CharField(blank=True, max_length=40, verbose_name='联系人')),
                ('zone', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.zone', verbose_name='园区')),
            ],
            options={
                'verbose_name': '部门',
                'verbose_name_plural': '部门',
                'ordering': ['zone_id', 'name'],
            },
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['zone', 'name_initials'], name='person_zone_initials'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['zone', 'employer'], name='person_zone_employer'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(condition=models.Q(('id_number_hash', ''), _negated=True), fields=('zone', 'id_number_hash'), name='person_id_number_unique_in_zone'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(condition=models.Q(('phone_hash', ''), _negated=True), fields=('zone', 'phone_hash'), name='person_phone_unique_in_zone'),
        ),
        migrations.AddIndex(
            model_name='enterprise',
            index=models.Index(fields=['zone', 'name'], name='enterprise_zone_name'),
        ),
        migrations.AddConstraint(
            model_name='enterprise',
            constraint=models.UniqueConstraint(fields=('zone', 'uscc'), name='enterprise_uscc_unique_in_zone'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(fields=('zone', 'name'), name='department_name_unique_in_zone'),
        ),
    ]
