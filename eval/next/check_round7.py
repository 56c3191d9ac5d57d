"""Independence and format checks for the round-7 evaluation set.

Run:  python3 check_round7.py [path/to/legal-basis.md]
Checks: (1) no clause shares >=11 consecutive characters with legal-basis.md
(whitespace ignored; also compared after NFKC and, if OpenCC is installed,
after Traditional->Simplified conversion); (2) no two clauses across the four
files have difflib.SequenceMatcher ratio > 0.6; (3) each file parses, has 100
items, 50/50 labels, valid categories/sources, text length 15-120.
"""
import sys, re, difflib, unicodedata, itertools, os
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LB = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/legal-basis.md"
FILES = ["general", "prepaid", "training", "used_car"]
CATS = {"exempt_personal_injury", "exempt_property_damage", "exempt_after_sales", "exempt_breach",
        "exempt_duties", "excessive_penalty", "shift_business_risk", "restrict_choice",
        "restrict_termination", "restrict_claims", "restrict_remedies", "sole_interpretation",
        "unilateral_change", "expiry_forfeiture", "prepayment_cap", "privacy_overreach", "missing_term"}
SOURCES = {"contract", "shop-notice", "online-terms", "chat-screenshot", "brochure", "pdf-scan", "app-popup"}
N = 11
try:
    import opencc
    t2s = opencc.OpenCC("t2s").convert
except Exception:
    t2s = None

def squash(s):
    return re.sub(r"\s+", "", s)

ok = True
items = []
print("== check 3: format ==")
for f in FILES:
    p = os.path.join(HERE, f + ".yaml")
    data = yaml.safe_load(open(p, encoding="utf-8"))
    labels = [d["label"] for d in data]
    bad = []
    for i, d in enumerate(data, 1):
        if set(d) != {"text", "label", "category", "source", "note"}: bad.append((i, "keys"))
        if d["label"] not in ("fair", "unfair"): bad.append((i, "label"))
        if d["category"] not in CATS: bad.append((i, "category " + str(d["category"])))
        if d["source"] not in SOURCES: bad.append((i, "source " + str(d["source"])))
        L = len(squash(d["text"]))
        if not 15 <= L <= 120: bad.append((i, f"length {L}"))
        if not d["note"]: bad.append((i, "note"))
        items.append((f, i, d["text"]))
    line1 = open(p, encoding="utf-8").readline()
    hdr = line1.startswith("# 领域：") and "第7轮独立编写" in line1
    res = len(data) == 100 and labels.count("unfair") == 50 and labels.count("fair") == 50 and not bad and hdr
    ok &= res
    print(f"{f}.yaml: items={len(data)} unfair={labels.count('unfair')} fair={labels.count('fair')} "
          f"header={'ok' if hdr else 'BAD'} problems={bad} -> {'PASS' if res else 'FAIL'}")

print("== check 1: no run of >=%d chars shared with legal-basis.md ==" % N)
ref_raw = squash(open(LB, encoding="utf-8").read())
refs = {ref_raw, unicodedata.normalize("NFKC", ref_raw)}
grams = set()
for r in refs:
    grams.update(r[i:i + N] for i in range(len(r) - N + 1))
hits = []
for f, i, t in items:
    variants = {squash(t), unicodedata.normalize("NFKC", squash(t))}
    if t2s: variants |= {t2s(v) for v in list(variants)}
    for v in variants:
        for k in range(len(v) - N + 1):
            if v[k:k + N] in grams:
                hits.append((f, i, v[k:k + N])); break
hits = sorted(set(hits))
print("opencc t2s used:", bool(t2s), "| hits:", len(hits))
for h in hits: print("  ", h)
ok &= not hits

print("== check 2: pairwise SequenceMatcher ratio <= 0.6 ==")
mx = (0, None, None); over = []
for (a, b) in itertools.combinations(items, 2):
    r = difflib.SequenceMatcher(None, a[2], b[2]).ratio()
    if r > mx[0]: mx = (r, a[:2], b[:2])
    if r > 0.6: over.append((round(r, 3), a[:2], b[:2]))
print(f"pairs={len(items)*(len(items)-1)//2} max_ratio={mx[0]:.3f} between {mx[1]} and {mx[2]} | over 0.6: {len(over)}")
for o in over: print("  ", o)
ok &= not over
print("ALL CHECKS PASS" if ok else "SOME CHECKS FAILED")
sys.exit(0 if ok else 1)
