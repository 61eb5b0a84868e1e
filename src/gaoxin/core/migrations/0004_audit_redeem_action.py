from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_export_action'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('create', '新增'), ('update', '修改'), ('delete', '删除'), ('reveal', '查看完整信息'), ('import', '导入'), ('login', '登录'), ('transition', '状态变更'), ('export', '导出'), ('redeem', '核销')], max_length=20, verbose_name='动作'),
        ),
    ]
