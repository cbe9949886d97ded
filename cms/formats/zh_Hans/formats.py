"""Django's Chinese formats, but times are shown to the second.

A form shows a time in the first of its input formats; Django's Chinese
one drops the seconds, so saving a form unchanged would move a
publication time back to its minute.
"""

from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M", "%H:%M:%S.%f"]
