"""The operator area's one date format per language (marketplace.core.dates): `{{ d|day }}`,
`{{ moment|day_time }}` and `{{ rule.weekdays|weekday_names }}`, instead of a pattern per template."""

from django import template

from marketplace.core import dates

register = template.Library()
register.filter("day", dates.format_day)
register.filter("day_time", dates.format_day_time)
register.filter("day_long", dates.format_day_long)
register.filter("weekday_names", dates.weekday_names)
