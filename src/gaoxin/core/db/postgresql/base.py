"""Django's PostgreSQL backend, for tables whose primary key is (zone_id, id).

Django groups an aggregate by the primary key alone when it may
(`allows_group_by_selected_pks`), leaning on PostgreSQL knowing that the key
decides every other column. With the zone in the key, `id` alone no longer
does, and PostgreSQL refuses such a GROUP BY; grouping by every selected
column, as on SQLite, gives the same rows.
"""

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
