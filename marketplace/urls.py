from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from marketplace import views

admin.site.site_header = "Guildhall staff"
admin.site.site_title = "Guildhall staff"
admin.site.index_title = "Run the marketplace"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
]

handler403 = "marketplace.views.permission_denied"
handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
