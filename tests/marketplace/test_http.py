from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from marketplace.http import run_and_report


class RefusedError(Exception):
    pass


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_run_and_report_reports_success():
    request = _request()
    assert run_and_report(request, lambda: None, success="Done.", refusals=RefusedError)
    assert [str(m) for m in get_messages(request)] == ["Done."]


def test_run_and_report_turns_a_refusal_into_an_error_message():
    request = _request()

    def refuse():
        raise RefusedError("Not now.")

    assert not run_and_report(request, refuse, success="Done.", refusals=RefusedError)
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "Not now.")]
