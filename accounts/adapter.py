from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_from_request

from accounts import services
from marketplace.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """Rate limits count per visitor, read through the same trusted-proxy rule as axes."""
        return client_ip(request)

    def login(self, request: HttpRequest, user: Any) -> None:
        """A person with no saved language keeps the one they signed in with (the switcher's
        cookie, else the browser's): their notifications and emails are then written in the
        language they read the site in, not in the site's default."""
        super().login(request, user)
        if not user.language:
            language = get_language_from_request(request, check_path=False)
            if language in dict(settings.LANGUAGES):
                services.set_language(user=user, language=language)
