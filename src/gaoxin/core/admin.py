from django.contrib import admin  # noqa: F401  (filled in below)
