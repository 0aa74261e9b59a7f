"""Stripe with no network, for the escrow tests: `responses` answers the API (the ``stripe_api``
fixture), webhooks are signed with a test secret; ``stripe_settings`` points the site at Stripe.
Both fixtures live in tests/escrow/conftest.py."""

import json

import stripe
from django.urls import reverse

SECRET = "whsec_test_secret"
API = "https://api.stripe.com"


def webhook(client, event: dict, secret: str = SECRET, timestamp: int | None = None):
    """POST a webhook event signed as Stripe signs it."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return client.post(
        reverse("escrow:stripe_webhook"),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
