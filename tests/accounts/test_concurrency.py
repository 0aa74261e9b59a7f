import threading

import pytest
from django.db import connection

from accounts import services
from accounts.exceptions import IllegalTransitionError
from accounts.models import CompanyVerificationEvent
from tests.factories import CompanyClientFactory, CompanyDocumentFactory, StaffFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_verifying_at_once_verify_once():
    owner = CompanyClientFactory()
    company = owner.company_profile
    CompanyDocumentFactory(company=company)
    services.submit_company_for_verification(company=company, by=owner)
    staff = [StaffFactory(), StaffFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def verify(by):
        try:
            barrier.wait()
            services.verify_company(company=company, by=by)
            outcomes.append("verified")
        except IllegalTransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(person,)) for person in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "verified"]
    assert (
        CompanyVerificationEvent.objects.filter(company=company, to_status="verified").count() == 1
    )
