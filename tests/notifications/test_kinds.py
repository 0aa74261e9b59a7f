from notifications import kinds


def test_known_kind_has_its_label():
    assert kinds.label_for("escrow.payout_paid") == "A withdrawal was paid"


def test_unknown_kind_falls_back_to_a_label_from_its_name():
    assert kinds.label_for("leads.half_price_offered") == "Half price offered"


def test_register_kind_adds_a_label(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", dict(kinds.KINDS))
    kinds.register_kind("leads.mandate_matched", "A referral lead matches your services")
    assert kinds.label_for("leads.mandate_matched") == "A referral lead matches your services"
    assert kinds.group_for("leads.mandate_matched") == "Referral leads"
