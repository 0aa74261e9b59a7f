from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView

from marketplace import views

admin.site.site_header = format_lazy(gettext_lazy("{site} staff"), site=settings.SITE_NAME)
admin.site.site_title = admin.site.site_header
admin.site.index_title = gettext_lazy("Run the marketplace")
admin.site.index_template = "admin/guildhall_index.html"  # links to the staff pages

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    # The addresses people type for the login page; ?next= is kept.
    *[
        path(typed, RedirectView.as_view(pattern_name="account_login", query_string=True))
        for typed in ("login/", "accounts/login/")
    ],
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
