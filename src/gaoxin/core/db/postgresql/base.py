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

    def init_connection_state(self):
        """On a Citus coordinator, a statement that changes rows of many zones (a
        deletion cascading by person, a national clean-up) runs shard after shard over
        one connection, so the same transaction may then write a reference table
        (logins, zones); Citus refuses that after a parallel multi-shard write."""
        super().init_connection_state()
        if self.connection is None:
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            if cursor.fetchone():
                cursor.execute("SET citus.multi_shard_modify_mode TO 'sequential'")
        if not self.get_autocommit():
            self.connection.commit()
