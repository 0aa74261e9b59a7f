from django.contrib import admin
from django.urls import include, path

from marketplace import views

admin.site.site_header = "Guildhall staff"
admin.site.site_title = "Guildhall staff"
admin.site.index_title = "Run the marketplace"
admin.site.index_template = "admin/guildhall_index.html"  # links to the staff pages

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("projects/", include("projects.urls")),
    path("money/", include("escrow.urls")),
    path("leads/", include("leads.urls")),
    path("bids/", include("bids.urls")),
    path("messages/", include("messaging.urls")),
    path("workspaces/", include("workspaces.urls")),
    path("reviews/", include("reviews.urls")),
    path("", include("bookings.urls")),
]

handler403 = "marketplace.views.permission_denied"
handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"
