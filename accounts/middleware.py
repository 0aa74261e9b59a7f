"""A signed-in person's saved language wins over the browser's Accept-Language and the cookie."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Runs after LocaleMiddleware and AuthenticationMiddleware: activates ``user.language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and user is not None and user.is_authenticated:
            request.LANGUAGE_CODE = language
            with translation.override(language):  # restored afterwards: nothing leaks
                return self.get_response(request)
        return self.get_response(request)
