"""The audit store: saving, re-saves recognised by hash, listing, reviews and their conflicts, occurrences.

Runs on SQLite by default; on PostgreSQL with CLAUSE_AUDIT_TEST_DB (scripts/test_postgres.sh).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm.exc import StaleDataError
from store_db import ROOT, sample_report

from clause_audit.fingerprint import finding_fingerprint
from clause_audit.store import CaseNotFound, ReviewConflict
from clause_audit.store.models import FindingRow
from clause_audit.store.review import record_review
from clause_audit.store.times import utc_now

LAUNDRY = "samples/prepaid/laundry-notice.txt"
GYM = "samples/prepaid/gym-membership.docx"
DRIVING = "samples/training/driving-school.pdf"
DEALER = "samples/used_car/dealer-sale.docx"
BROKER = "samples/used_car/broker-service.docx"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_save_keeps_the_report_and_its_findings(store):
    report = sample_report(GYM)
    result = store.save(report, audited_at=T0)
    assert (result.previous_id, result.carried, result.merchant_case_id) == (None, 0, None)
    case = store.case(result.audit_id)
    s = case.summary
    assert s.source == GYM and s.merchant == "星城力健健身有限公司" and s.domain == "prepaid"
    assert s.content_hash == hashlib.sha256((ROOT / GYM).read_bytes()).hexdigest()
    assert s.rules_version == report.rules_version and s.clause_count == len(report.clauses)
    assert s.audited_at == T0 and s.findings == len(report.findings) == 10
    assert s.by_status == {"open": 10, "confirmed": 0, "dismissed": 0}
    assert [f.quote for f in case.findings] == [f.quote for f in report.findings]
    assert [f.rule_id for f in case.findings] == [f.rule_id for f in report.findings]
    assert [f.fingerprint for f in case.findings] == [finding_fingerprint(report, f) for f in report.findings]
    for stored, finding in zip(case.findings, report.findings, strict=True):
        assert stored.clause_text == report.clauses[finding.clause_index].text
        assert stored.quote in stored.clause_text
        assert stored.legal_basis == finding.legal_basis and stored.suggestion == finding.suggestion
        assert (stored.status, stored.reviewer_note, stored.reviewed_at, stored.version) == ("open", "", None, 1)


def test_a_resaved_document_is_recognised_and_keeps_review_decisions(store):
    report = sample_report(LAUNDRY)
    first = store.save(report, audited_at=T0)
    findings = store.case(first.audit_id).findings
    store.review(findings[0].id, "confirmed", note="已核实", reviewer="张三")
    store.review(findings[4].id, "dismissed", note="店堂告示已撤下", reviewer="李四")

    second = store.save(report, audited_at=T0 + timedelta(days=1))
    assert second.previous_id == first.audit_id and second.carried == 2
    again = store.case(second.audit_id).findings
    assert [(f.status, f.reviewer, f.reviewer_note) for f in again] == [
        ("confirmed", "张三", "已核实"),
        ("open", "", ""),
        ("open", "", ""),
        ("open", "", ""),
        ("dismissed", "李四", "店堂告示已撤下"),
    ]
    assert again[0].reviewed_at == store.case(first.audit_id).findings[0].reviewed_at
    # the earlier case keeps its own rows
    assert [f.status for f in store.case(first.audit_id).findings] == ["confirmed", "open", "open", "open", "dismissed"]
    assert len(store.cases()) == 2


def test_another_document_of_a_known_merchant_is_a_recheck_candidate(store):
    docx = store.save(sample_report(GYM), audited_at=T0)
    pdf = store.save(sample_report("samples/prepaid/gym-membership.pdf"), audited_at=T0 + timedelta(hours=1))
    assert pdf.previous_id is None and pdf.merchant_case_id == docx.audit_id
    assert store.case(pdf.audit_id).summary.merchant == store.case(docx.audit_id).summary.merchant


def _save_four(store) -> dict[str, int]:
    ids = {}
    for n, path in enumerate((LAUNDRY, GYM, DRIVING, DEALER)):
        ids[path] = store.save(sample_report(path), audited_at=T0 + timedelta(days=10 * n)).audit_id
    return ids


def test_list_filters_by_merchant_domain_period_and_status(store):
    ids = _save_four(store)
    assert [c.id for c in store.cases()] == [ids[DEALER], ids[DRIVING], ids[GYM], ids[LAUNDRY]]
    assert [c.id for c in store.cases(merchant="力健")] == [ids[GYM]]
    assert [c.id for c in store.cases(merchant="二手车")] == [ids[DEALER]]
    assert [c.id for c in store.cases(merchant="不存在的公司")] == []
    assert [c.id for c in store.cases(domain="prepaid")] == [ids[GYM], ids[LAUNDRY]]
    assert [c.id for c in store.cases(domain="training")] == [ids[DRIVING]]
    since, until = T0 + timedelta(days=10), T0 + timedelta(days=20)
    assert [c.id for c in store.cases(since=since, until=until)] == [ids[GYM]]
    assert [c.id for c in store.cases(since=since)] == [ids[DEALER], ids[DRIVING], ids[GYM]]
    assert store.cases(status="confirmed") == []
    assert len(store.cases(status="open")) == 4
    driving = store.case(ids[DRIVING]).findings
    store.review(driving[2].id, "confirmed", note="属实", reviewer="王五")
    assert [c.id for c in store.cases(status="confirmed")] == [ids[DRIVING]]
    (listed,) = store.cases(status="confirmed", domain="training", merchant="安顺达")
    flagged = sum(f.severity != "low" for f in driving)
    assert listed.by_status == {"open": flagged - 1, "confirmed": 1, "dismissed": 0}
    assert listed.flagged == flagged


def test_review_records_decision_note_reviewer_and_time(store):
    case_id = store.save(sample_report(DEALER)).audit_id
    target = store.case(case_id).findings[3]
    before = datetime.now(UTC) - timedelta(seconds=5)
    done = store.review(target.id, "dismissed", note="车况已另行书面告知", reviewer="赵六")
    assert (done.status, done.reviewer, done.reviewer_note, done.version) == (
        "dismissed",
        "赵六",
        "车况已另行书面告知",
        2,
    )
    assert done.reviewed_at is not None and before <= done.reviewed_at <= datetime.now(UTC) + timedelta(seconds=5)
    shown = store.case(case_id).findings[3]
    assert shown == done
    assert [f.status for f in store.case(case_id).findings].count("open") == 7


def test_a_decided_finding_is_not_overwritten_without_override(store):
    finding = store.case(store.save(sample_report(LAUNDRY)).audit_id).findings[1]
    store.review(finding.id, "confirmed", note="确认", reviewer="张三")
    with pytest.raises(ReviewConflict, match=r"已复核（张三 于 .* 标记为“确认”）；如需改判，请加 --override"):
        store.review(finding.id, "dismissed", reviewer="李四")
    assert store.case(finding.audit_id).findings[1].status == "confirmed"
    changed = store.review(finding.id, "dismissed", note="复议后驳回", reviewer="李四", override=True)
    assert (changed.status, changed.reviewer, changed.version) == ("dismissed", "李四", 3)


def test_two_staff_reviewing_what_they_saw_the_second_is_refused(store_url, store):
    from clause_audit.store import open_store

    finding = store.case(store.save(sample_report(LAUNDRY)).audit_id).findings[2]
    with open_store(store_url) as colleague:
        seen = colleague.case(finding.audit_id).findings[2]
        store.review(finding.id, "confirmed", reviewer="张三", expected_version=finding.version)
        with pytest.raises(ReviewConflict, match="在您查看之后已被修改"):
            colleague.review(seen.id, "dismissed", reviewer="李四", expected_version=seen.version)
    final = store.case(finding.audit_id).findings[2]
    assert (final.status, final.reviewer, final.version) == ("confirmed", "张三", 2)


def test_concurrent_sessions_lose_no_update(store):
    """Both sessions read version 1; the one that writes second fails on the version column."""
    finding = store.case(store.save(sample_report(LAUNDRY)).audit_id).findings[0]
    first, second = store.session(), store.session()
    try:
        seen = second.get(FindingRow, finding.id)  # loaded (and held) before the first one writes
        assert seen is not None and seen.version == 1
        record_review(first, finding.id, "confirmed", note="甲", reviewer="张三", now=utc_now())
        first.commit()
        with pytest.raises(StaleDataError):
            record_review(second, finding.id, "dismissed", note="乙", reviewer="李四", now=utc_now())
        second.rollback()
    finally:
        first.close()
        second.close()
    final = store.case(finding.audit_id).findings[0]
    assert (final.status, final.reviewer_note, final.version) == ("confirmed", "甲", 2)


def test_the_store_turns_a_lost_race_into_a_review_conflict(store, monkeypatch):
    from clause_audit.store import review as review_module

    finding = store.case(store.save(sample_report(LAUNDRY)).audit_id).findings[0]

    def raced(session, finding_id, decision, **kwargs):
        row = session.get(FindingRow, finding_id)
        other = store.session()  # someone else commits between our read and our write
        record_review(other, finding_id, "confirmed", note="先到", reviewer="张三", now=utc_now())
        other.commit()
        other.close()
        row.status = decision
        session.flush()

    monkeypatch.setattr(review_module, "record_review", raced)
    with pytest.raises(ReviewConflict, match="刚被其他人复核，本次复核未保存"):
        store.review(finding.id, "dismissed", reviewer="李四")
    assert store.case(finding.audit_id).findings[0].reviewer_note == "先到"


def test_unknown_ids_are_named_in_chinese(store):
    with pytest.raises(CaseNotFound, match="没有编号为 #99 的审查记录"):
        store.case(99)
    with pytest.raises(CaseNotFound, match="没有编号为 1234 的问题"):
        store.review(1234, "confirmed")


# ---------------------------------------------------------------- occurrences


def test_occurrences_count_confirmed_findings_unless_unreviewed_are_included(store):
    laundry = store.case(store.save(sample_report(LAUNDRY), audited_at=T0).audit_id).findings
    gym_id = store.save(sample_report(GYM), audited_at=T0 + timedelta(days=1)).audit_id
    store.review(laundry[0].id, "confirmed", note="属实")
    store.review(laundry[4].id, "confirmed")
    store.review(laundry[1].id, "dismissed", note="误报")

    confirmed = store.occurrences()
    assert [(o.rule_id, o.quote, o.review_status) for o in confirmed] == [
        (laundry[0].rule_id, laundry[0].quote, "confirmed"),
        (laundry[4].rule_id, "本店保留最终解释权", "confirmed"),
    ]
    o = confirmed[0]
    assert (o.source, o.merchant, o.domain, o.audited_at, o.reviewer_note) == (LAUNDRY, "", "prepaid", T0, "属实")
    assert o.quote in o.clause_text and o.severity == "high" and o.legal_basis == laundry[0].legal_basis

    everything = store.occurrences(include_unreviewed=True)
    assert len(everything) == 4 + 10  # the dismissed one never counts
    assert laundry[1].id not in {f.id for f in store.case(laundry[1].audit_id).findings if f.status != "dismissed"}
    assert all(o.review_status in ("confirmed", "open") for o in everything)
    assert {o.merchant for o in everything if o.source == GYM} == {"星城力健健身有限公司"}
    assert len([o for o in everything if o.source == GYM]) == len(store.case(gym_id).findings)


def test_occurrences_leave_out_low_findings_and_filter_by_domain_and_period(store):
    broker, driving = sample_report(BROKER), sample_report(DRIVING)
    assert [f.severity for f in broker.findings].count("low") == 1
    store.save(broker, audited_at=T0)
    store.save(driving, audited_at=T0 + timedelta(days=30))

    def flagged(report):
        return sorted((f.rule_id, f.quote) for f in report.findings if f.severity != "low")

    used_car = store.occurrences(include_unreviewed=True, domain="used_car")
    assert sorted((o.rule_id, o.quote) for o in used_car) == flagged(broker)
    assert len(used_car) == len(broker.findings) - 1
    assert {o.severity for o in store.occurrences(include_unreviewed=True)} == {"high", "medium"}
    training = store.occurrences(include_unreviewed=True, domain="training")
    assert sorted((o.rule_id, o.quote) for o in training) == flagged(driving)
    assert store.occurrences(include_unreviewed=True, domain="prepaid") == []
    in_march = store.occurrences(include_unreviewed=True, since=T0, until=T0 + timedelta(days=1))
    assert {o.source for o in in_march} == {BROKER}
    later = store.occurrences(include_unreviewed=True, since=T0 + timedelta(days=1))
    assert {o.source for o in later} == {DRIVING}


def test_occurrences_count_only_the_latest_audit_of_a_document(store):
    report = sample_report(LAUNDRY)
    first = store.case(store.save(report, audited_at=T0).audit_id).findings
    store.review(first[0].id, "confirmed")
    store.review(first[3].id, "confirmed")
    second_id = store.save(report, audited_at=T0 + timedelta(days=7)).audit_id
    latest = store.occurrences()
    assert len(latest) == 2 and {o.audited_at for o in latest} == {T0 + timedelta(days=7)}
    # a decision changed on the latest audit wins over the earlier audit's
    store.review(store.case(second_id).findings[3].id, "dismissed", override=True)
    assert [o.rule_id for o in store.occurrences()] == [first[0].rule_id]
    assert len(store.occurrences(include_unreviewed=True)) == 4
    # within a period that holds only the first audit, that one counts
    assert len(store.occurrences(until=T0 + timedelta(days=1))) == 2
