from django import template

from wikijs.views import may_import

register = template.Library()

register.filter("may_import_wikijs", may_import)
