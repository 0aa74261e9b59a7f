from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from marketplace.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """Rate limits count per visitor, read through the same trusted-proxy rule as axes."""
        return client_ip(request)
