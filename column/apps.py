from django.apps import AppConfig


class ColumnConfig(AppConfig):
    name = "column"
    verbose_name = "栏目与站点页面"
