"""Factories for messaging tests: a conversation between two people, opened by the service."""

from messaging.models import Conversation
from messaging.services import open_conversation
from tests.factories import ClientFactory, ExpertFactory


def conversation_between(client=None, expert=None, *, guard: bool = True, alias: str = ""):
    client = client or ClientFactory()
    expert = expert or ExpertFactory()
    return open_conversation(
        key=f"test:{client.pk}:{expert.pk}",
        kind=Conversation.Kind.BID,
        subject="Logo",
        people=[(client, ""), (expert, alias)],
        guard_contacts=guard,
    )
