"""A bulletin from the audit store: only confirmed findings count unless --include-unreviewed, dismissed
ones never, and an anonymised bulletin from the store names no merchant."""

from __future__ import annotations

from store_db import sample_report

from clause_audit.cli import main

GYM = "samples/prepaid/gym-membership.docx"
DRIVING = "samples/training/driving-school.pdf"
DEALER = "samples/used_car/dealer-sale.docx"
MERCHANTS = (
    "星城力健健身有限公司",
    "安顺达机动车驾驶员培训有限公司",
    "恒通优选二手车销售有限公司",
    "星城力健",
    "安顺达",
    "恒通优选",
)


def _flagged(store, case_id):
    return [f for f in store.case(case_id).findings if f.severity in ("high", "medium")]


def _bulletin(store_url, tmp_path, *extra):
    out = tmp_path / "bulletin.md"
    code = main(["bulletin", "--db", store_url, "--format", "markdown", "-o", str(out), *extra])
    return code, out.read_text("utf-8") if out.exists() else ""


def test_only_confirmed_findings_reach_a_bulletin_from_the_store(store, store_url, tmp_path, capsys):
    gym = store.save(sample_report(GYM)).audit_id
    driving = store.save(sample_report(DRIVING)).audit_id
    store.save(sample_report(DEALER))
    gym_findings, driving_findings = _flagged(store, gym), _flagged(store, driving)
    confirmed = [gym_findings[0], driving_findings[1]]
    dismissed = gym_findings[1]
    for finding in confirmed:
        store.review(finding.id, "confirmed", note="属实", reviewer="张三")
    store.review(dismissed.id, "dismissed", note="误报", reviewer="张三")

    code, text = _bulletin(store_url, tmp_path)
    assert code == 0
    assert "（2 家经营者、2 份合同、2 项问题）" in capsys.readouterr().err
    for finding in confirmed:
        assert finding.quote in text and finding.title in text
    assert dismissed.rule_id not in {f.rule_id for f in confirmed}
    assert dismissed.title not in text
    # the dealer's contract had nothing confirmed: it is not in the bulletin at all
    assert "恒通优选二手车销售有限公司" not in text

    code, everything = _bulletin(store_url, tmp_path, "--include-unreviewed")
    assert code == 0
    assert "恒通优选二手车销售有限公司" in everything
    open_titles = {f.title for f in _flagged(store, gym) if f.id != dismissed.id and f.rule_id != dismissed.rule_id}
    assert all(title in everything for title in open_titles)
    summary = capsys.readouterr().err
    assert "3 家经营者、3 份合同" in summary


def test_an_anonymised_bulletin_from_the_store_names_no_merchant(store, store_url, tmp_path):
    for path in (GYM, DRIVING, DEALER):
        store.save(sample_report(path))
    code, text = _bulletin(store_url, tmp_path, "--include-unreviewed", "--anonymize")
    assert code == 0
    assert "某健身公司" in text and "某驾校" in text and "某二手车经销公司" in text
    for name in MERCHANTS:
        assert name not in text


def test_nothing_confirmed_is_a_clear_error(store, store_url, tmp_path, capsys):
    store.save(sample_report(GYM))
    code, _ = _bulletin(store_url, tmp_path)
    assert code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
