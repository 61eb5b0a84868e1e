"""`{{ user|person_name }}`: the name page headers show (gaoxin.core.home.person_name)."""

from django import template

from gaoxin.core import home

register = template.Library()


@register.filter
def person_name(user) -> str:
    return home.person_name(user)
