"""Request guards that apply to every page before any view reads its input."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


def reject_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]):
    """No text a visitor sends may hold a NUL character: PostgreSQL cannot store or compare it
    (every query with one fails), and no honest form ever sends it. Refused with 400."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(_("The request holds a character that is not allowed."))
        return get_response(request)

    return middleware
