"""A URL configuration with no pages (tests of links that follow the configuration)."""

urlpatterns: list[object] = []
