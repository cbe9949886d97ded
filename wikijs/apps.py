from django.apps import AppConfig


class WikiJsConfig(AppConfig):
    name = "wikijs"
    verbose_name = "Wiki.js"
