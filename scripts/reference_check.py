#!/usr/bin/env python3
"""Independent reference check of treso's calculation conventions.

Written from docs/calculations.md, docs/scenario-format.md, docs/decisions.md and the domain text only
(never from Sources/).  Generates random scenario folders, projects every plan in exact arithmetic
(ints and fractions.Fraction, no floats for money) and compares field by field with
`treso project DIR --format json [--plan NAME]` and `treso compare DIR --format json`.

    swift build --product treso
    scripts/reference_check.py --seeds 0-199 [--keep DIR] [--verbose] [--accept K1,...] [--folder examples/cases/2-...]

Exit 0 when every figure matches, 1 on any mismatch.  Also sweeps every day of 2026–2030 for the FR and TARGET
calendars (one payable due each day), and checks from the outside that every row satisfies
closing = opening + receipts − disbursements + financing − charges and that cash only moves on business days.
KNOWN lists the discrepancies found so far; `--accept` adopts treso's behaviour for them to look for new ones.
Conventions the docs leave open are chosen by the most literal reading; each is marked `AMBIGUITY:` below.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction as Fr

ONE_DAY = dt.timedelta(days=1)

# Known discrepancies between the docs and treso (see the report).  By default the reference follows the docs and
# reports them; `--accept K1,K2` makes the reference adopt treso's behaviour for those, to look for new ones.
KNOWN = {
    "K2": "a defaulted receivable whose factoring decision is refused is collected anyway (docs: not factored, "
          "the collection disappears; a refused decision changes nothing)",
    "K3": "receivables_above / payables_above = X also select an invoice of exactly X (docs: 'above')",
    "K4": "funding date from a closed day: treso rolls max(start, issue) to the following business day, then "
          "adds n business days (Sat + 1 business day = Tue); literal: the n-th business day after it (Mon)",
    "K5": "a defaulted factored invoice's reclaim and indemnity are on following(following(max(due, start)) + days) "
          "(docs: following(due + days))",
    "K6": "the JSON effective_annual_rate is rounded twice (to 1e-9, then to 4 decimals of a percent): "
          "249.32584999… % is printed 249.3259",
    "K1": "an overdue payable (planned before the start) is refused by every payable decision (docs: payable "
          "instruments start from the planned date, never before the start — i.e. from the start)",
}
ACCEPT: set = set()

from collections import Counter  # noqa: E402

COV: Counter = Counter()  # how often each rule of the reference was exercised


def D(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


# --------------------------------------------------------------------------------------------- money
def rnd(x) -> int:
    """Round an exact value (cents) once to an integer, half away from zero."""
    x = Fr(x)
    if x >= 0:
        return int((x + Fr(1, 2)).__floor__())
    return -int((-x + Fr(1, 2)).__floor__())


def cents_str(c: int) -> str:
    s = "-" if c < 0 else ""
    c = abs(c)
    return f"{s}{c // 100}.{c % 100:02d}"


def parse_cents(s: str) -> int:
    neg = s.startswith("-")
    s = s.lstrip("+-")
    if "." in s:
        a, b = s.split(".")
        b = (b + "00")[:2]
    else:
        a, b = s, "00"
    v = int(a) * 100 + int(b)
    return -v if neg else v


def pct(text: str) -> Fr:
    """A rate written as a percentage in the file, as an exact fraction."""
    return Fr(text) / 100


# ------------------------------------------------------------------------------------------ calendar
def easter(y: int) -> dt.date:
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


_hol_cache: dict = {}


def holidays(cal: str, y: int) -> set:
    key = (cal, y)
    if key in _hol_cache:
        return _hol_cache[key]
    e = easter(y)
    if cal == "FR":
        s = {dt.date(y, 1, 1), e + dt.timedelta(days=1), dt.date(y, 5, 1), dt.date(y, 5, 8),
             e + dt.timedelta(days=39), e + dt.timedelta(days=50), dt.date(y, 7, 14), dt.date(y, 8, 15),
             dt.date(y, 11, 1), dt.date(y, 11, 11), dt.date(y, 12, 25)}
    elif cal == "TARGET":
        s = {dt.date(y, 1, 1), e - dt.timedelta(days=2), e + dt.timedelta(days=1), dt.date(y, 5, 1),
             dt.date(y, 12, 25), dt.date(y, 12, 26)}
    else:
        s = set()
    _hol_cache[key] = s
    return s


class Calendar:
    def __init__(self, name: str):
        self.name = name

    def is_business(self, d: dt.date) -> bool:
        if self.name == "none":
            return True
        if d.isoweekday() >= 6:
            return False
        return d not in holidays(self.name, d.year)

    def following(self, d: dt.date) -> dt.date:
        while not self.is_business(d):
            d += ONE_DAY
        return d

    def add_business_days(self, d: dt.date, n: int) -> dt.date:
        # AMBIGUITY: "max(start, issue) + funding delay in business days" — read as: step forward n business days
        # (each step to the next business day); with n = 0 the date is rolled forward (cash never moves on a closed day).
        if n == 0 or "K4" in ACCEPT:
            d = self.following(d)
        for _ in range(n):
            d += ONE_DAY
            d = self.following(d)
        return d


def month_end(y: int, m: int) -> int:
    if m == 12:
        return 31
    return (dt.date(y, m + 1, 1) - ONE_DAY).day


def add_months(y: int, m: int, k: int):
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


# -------------------------------------------------------------------------------------------- model
@dataclass
class Invoice:
    id: str
    party: str
    issue: dt.date
    due: dt.date
    amount: int  # cents
    status: str = "open"
    expected: dt.date | None = None
    discount: tuple | None = None  # (rate text, days)

    def disc_rate(self) -> Fr:
        return pct(self.discount[0])


@dataclass
class Scenario:
    name: str
    start: dt.date
    horizon: int
    opening: int
    min_cash: int
    calendar: str
    delay_default: int | None
    delays: dict  # name -> days (insertion order)
    od_limit: int
    od_rate: str
    od_comm: str
    recurring: list  # dicts
    receivables: list
    payables: list
    factoring: dict  # name -> dict
    reverse: dict
    supplier: dict
    split: dict
    negotiation: dict | None
    plans: list  # dicts {name, decisions: [(selkey, selval, action)], defaulted: [...]}


# --------------------------------------------------------------------------------- TOML / CSV writers
def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_scenario(sc: Scenario, folder: str) -> None:
    L = []
    L.append(f"name = {toml_str(sc.name)}")
    L.append(f"start = {sc.start.isoformat()}")
    L.append(f"horizon_days = {sc.horizon}")
    L.append(f"opening_balance = {cents_str(sc.opening)}")
    if sc.min_cash is not None:
        L.append(f"min_cash = {cents_str(sc.min_cash)}")
    L.append(f"calendar = {toml_str(sc.calendar)}")
    if sc.receivables:
        L.append('receivables = "receivables.csv"')
    if sc.payables:
        L.append('payables = "payables.csv"')
    if sc.delay_default is not None:
        L.append(f"customer_delay_days = {sc.delay_default}")
    if sc.delays:
        L.append("[customer_delays]")
        for k, v in sc.delays.items():
            L.append(f"{toml_str(k)} = {v}")
    L.append("[overdraft]")
    L.append(f"limit = {cents_str(sc.od_limit)}")
    L.append(f"annual_rate = {sc.od_rate}")
    L.append(f"highest_overdraft_rate = {sc.od_comm}")
    for r in sc.recurring:
        L.append("[[recurring]]")
        L.append(f"label = {toml_str(r['label'])}")
        L.append(f"amount = {cents_str(r['amount'])}")
        L.append(f"every = {toml_str(r['every'])}")
        if "day" in r:
            L.append(f"day = {r['day']}")
        if "month" in r:
            L.append(f"month = {r['month']}")
        if r.get("from"):
            L.append(f"from = {r['from'].isoformat()}")
        if r.get("until"):
            L.append(f"until = {r['until'].isoformat()}")
    for kind, table in (("factoring", sc.factoring), ("reverse_factoring", sc.reverse),
                        ("supplier_financing", sc.supplier), ("split_payment", sc.split)):
        for name, c in table.items():
            L.append(f"[{kind}.{name}]")
            for k, v in c.items():
                if k.startswith("_"):
                    continue
                if isinstance(v, bool):
                    L.append(f"{k} = {'true' if v else 'false'}")
                elif isinstance(v, list):
                    L.append(f"{k} = [{', '.join(toml_str(x) for x in v)}]")
                elif isinstance(v, str) and k in ("kind",):
                    L.append(f"{k} = {toml_str(v)}")
                else:
                    L.append(f"{k} = {v}")
    if sc.negotiation is not None:
        L.append("[negotiation]")
        for k, v in sc.negotiation.items():
            L.append(f"{k} = {toml_str(v) if k == 'cap_method' else v}")
    for p in sc.plans:
        L.append("[[plans]]")
        L.append(f"name = {toml_str(p['name'])}")
        if p.get("defaulted"):
            L.append(f"defaulted = [{', '.join(toml_str(x) for x in p['defaulted'])}]")
        ds = []
        for sk, sv, act in p["decisions"]:
            if sk in ("receivables_above", "payables_above"):
                v = cents_str(sv)
            else:
                v = toml_str(sv)
            ds.append(f"{{ {sk} = {v}, action = {toml_str(act)} }}")
        L.append("decisions = [\n  " + ",\n  ".join(ds) + ",\n]" if ds else "decisions = []")
    with open(os.path.join(folder, "treso.toml"), "w") as f:
        f.write("\n".join(L) + "\n")

    def csv(invs, fn):
        rows = ["id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount"]
        for i in invs:
            disc = f"{i.discount[0]}/{i.discount[1]}" if i.discount else ""
            rows.append(",".join([i.id, i.party, i.issue.isoformat(), i.due.isoformat(), cents_str(i.amount), "EUR",
                                  i.status if i.status != "open" or len(i.id + i.party) % 2 else "",
                                  i.expected.isoformat() if i.expected else "", disc]))
        with open(os.path.join(folder, fn), "w") as f:
            f.write("\n".join(rows) + "\n")

    if sc.receivables:
        csv(sc.receivables, "receivables.csv")
    if sc.payables:
        csv(sc.payables, "payables.csv")


def load_scenario(folder: str) -> Scenario:
    """Read a scenario folder written in the canonical forms (used to run the reference on examples/cases)."""
    import csv as _csv
    import tomllib
    with open(os.path.join(folder, "treso.toml"), "rb") as f:
        t = tomllib.load(f, parse_float=str)

    def txt(v):
        return str(v)

    def invoices(fn):
        if not fn:
            return []
        out = []
        with open(os.path.join(folder, fn), newline="", encoding="utf-8-sig") as f:
            for row in _csv.DictReader(f):
                disc = None
                if row.get("discount"):
                    a, b = row["discount"].split("/")
                    disc = (a, int(b))
                out.append(Invoice(row["id"], row["counterparty"], D(row["issue_date"]), D(row["due_date"]),
                                   parse_cents(row["amount"]), (row.get("status") or "open").strip() or "open",
                                   D(row["expected_date"]) if row.get("expected_date") else None, disc))
        return out

    od = t.get("overdraft", {})
    rec = []
    for r in t.get("recurring", []):
        r = dict(r)
        r["amount"] = parse_cents(txt(r["amount"]))
        rec.append(r)

    def table(k):
        out = {}
        for name, c in t.get(k, {}).items():
            out[name] = {kk: (vv if isinstance(vv, (bool, list, int)) else txt(vv)) for kk, vv in c.items()}
        return out

    plans = []
    for p in t.get("plans", []):
        decs = []
        for d in p.get("decisions", []):
            (sk, sv), = [(k, v) for k, v in d.items() if k != "action"]
            if sk.endswith("_above"):
                sv = parse_cents(txt(sv))
            decs.append((sk, sv, d["action"]))
        plans.append({"name": p["name"], "decisions": decs, "defaulted": p.get("defaulted", [])})
    return Scenario(t.get("name", os.path.basename(folder)), t["start"], t.get("horizon_days", 90),
                    parse_cents(txt(t.get("opening_balance", 0))),
                    parse_cents(txt(t["min_cash"])) if "min_cash" in t else None, t.get("calendar", "FR"),
                    t.get("customer_delay_days"), dict(t.get("customer_delays", {})),
                    parse_cents(txt(od.get("limit", 0))), txt(od.get("annual_rate", 0)),
                    txt(od.get("highest_overdraft_rate", 0)), rec, invoices(t.get("receivables")),
                    invoices(t.get("payables")), table("factoring"), table("reverse_factoring"),
                    table("supplier_financing"), table("split_payment"),
                    {k: (v if isinstance(v, int) else txt(v)) for k, v in t["negotiation"].items()}
                    if "negotiation" in t else None, plans)


# ---------------------------------------------------------------------------------------- generator
CUSTOMERS = ["Acme SA", "Durand SARL", "Bâti Ouest", "Client Martin", "Nord Logistique", "Éts Lefèvre"]
SUPPLIERS = ["Aciers du Nord", "Cartons Dupuis", "Colis Express", "Point Matériaux", "Textile Lyon"]


def rate_text(rng, lo, hi, decimals=2):
    v = rng.randint(int(lo * 10 ** decimals), int(hi * 10 ** decimals))
    s = f"{v // 10 ** decimals}.{v % 10 ** decimals:0{decimals}d}" if decimals else str(v)
    return s.rstrip("0").rstrip(".") if "." in s else s


def rand_amount(rng, lo=50, hi=60000):
    c = rng.randint(lo * 100, hi * 100)
    if rng.random() < 0.3:
        c = c // 100 * 100
    return c


def gen_scenario(seed: int) -> Scenario:
    rng = random.Random(seed)
    start = dt.date(rng.randint(2026, 2030), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    horizon = rng.choice([rng.randint(1, 20), rng.randint(20, 120), rng.randint(60, 400), rng.randint(1, 400)])
    end = start + dt.timedelta(days=horizon - 1)
    cal = rng.choice(["FR", "FR", "TARGET", "none"])
    opening = rng.randint(-20000, 80000) * 100 + rng.randint(0, 99)
    min_cash = rng.choice([None, 0, rand_amount(rng, 1000, 30000)])
    delay_default = rng.choice([None, 0, rng.randint(-10, 30)])
    customers = rng.sample(CUSTOMERS, rng.randint(1, len(CUSTOMERS)))
    suppliers = rng.sample(SUPPLIERS, rng.randint(1, len(SUPPLIERS)))
    delays = {}
    for c in customers:
        r = rng.random()
        if r < 0.25:
            delays[c] = rng.randint(-5, 45)
        elif r < 0.4:
            delays[c.upper() if rng.random() < 0.5 else c.lower()] = rng.randint(0, 45)
        elif r < 0.5:
            delays[c] = rng.randint(0, 20)
            delays[c.upper()] = rng.randint(21, 60)
    od_limit = rng.choice([0, rand_amount(rng, 1000, 80000)])
    od_rate = rate_text(rng, 0, 16, rng.choice([0, 1, 2]))
    od_comm = rng.choice(["0", "0.05", rate_text(rng, 0, 0.2, 3)])

    recurring = []
    for k in range(rng.randint(0, 5)):
        every = rng.choice(["week", "month", "month", "quarter", "year"])
        r = {"label": f"Flux {k}", "amount": rng.choice([-1, -1, 1]) * rand_amount(rng, 100, 30000), "every": every}
        if every == "week":
            if rng.random() < 0.8:
                r["day"] = rng.randint(1, 7)
        else:
            if rng.random() < 0.9:
                r["day"] = rng.choice([rng.randint(1, 31), 29, 30, 31])
            if every in ("quarter", "year") and rng.random() < 0.8:
                r["month"] = rng.randint(1, 12)
        if rng.random() < 0.3:
            r["from"] = start + dt.timedelta(days=rng.randint(-40, horizon))
        if rng.random() < 0.3:
            r["until"] = max(r.get("from", start - dt.timedelta(days=10)),
                             start + dt.timedelta(days=rng.randint(-10, horizon + 10)))
        recurring.append(r)

    def gen_invoices(prefix, parties, n):
        out = []
        for k in range(n):
            issue = start + dt.timedelta(days=rng.randint(-100, max(1, horizon)))
            due = issue + dt.timedelta(days=rng.choice([0, 30, 45, 60, rng.randint(0, 100)]))
            inv = Invoice(f"{prefix}-{k:03d}", rng.choice(parties), issue, due, rand_amount(rng, 50, 60000))
            r = rng.random()
            if r < 0.08:
                inv.status = "paid"
            elif r < 0.15:
                inv.status = "disputed"
            if rng.random() < 0.12:
                inv.expected = due + dt.timedelta(days=rng.randint(-10, 40))
            if rng.random() < (0.35 if prefix == "P" else 0.1):
                inv.discount = (rng.choice(["2", "1.5", "3", "0.5"]), rng.choice([7, 10, 15, 30]))
            out.append(inv)
        return out

    receivables = gen_invoices("R", customers, rng.choice([0, rng.randint(1, 6), rng.randint(1, 25)]))
    payables = gen_invoices("P", suppliers, rng.choice([0, rng.randint(1, 6), rng.randint(1, 25)]))

    factoring = {}
    for k in range(rng.randint(0, 3)):
        c = {}
        if rng.random() < 0.7:
            c["kind"] = rng.choice(["global", "spot"])
        if rng.random() < 0.8:
            c["advance_rate"] = rng.choice(["70", "80", "85", "90", "100", rate_text(rng, 50, 100, 1)])
        if rng.random() < 0.8:
            c["commission_rate"] = rate_text(rng, 0, 3, 2)
        if rng.random() < 0.4:
            c["minimum_commission"] = cents_str(rand_amount(rng, 10, 300))
        if rng.random() < 0.5:
            c["vat_rate"] = rng.choice(["20", "0", "10", "5.5"])
        if rng.random() < 0.8:
            c["annual_rate"] = rate_text(rng, 0, 8, 2)
        if rng.random() < 0.4:
            c["grace_days"] = rng.randint(0, 15)
        if rng.random() < 0.7:
            c["funding_delay_days"] = rng.randint(0, 3)
        if rng.random() < 0.6:
            c["recourse"] = rng.random() < 0.6
        if rng.random() < 0.4:
            c["reclaim_days"] = rng.randint(0, 60)
        if rng.random() < 0.3:
            c["notified"] = rng.random() < 0.5
        if rng.random() < 0.4:
            c["insurance_coverage"] = rng.choice(["90", "75", rate_text(rng, 0, 100, 1)])
        if rng.random() < 0.4:
            c["indemnity_delay_days"] = rng.randint(0, 150)
        if rng.random() < 0.25:
            c["min_invoice"] = cents_str(rand_amount(rng, 100, 5000))
        if rng.random() < 0.25:
            c["max_invoice"] = cents_str(rand_amount(rng, 5000, 60000))
        if rng.random() < 0.25:
            c["excluded_customers"] = rng.sample(customers, 1)
        if rng.random() < 0.6:
            c["annual_minimum_fee"] = cents_str(rand_amount(rng, 100, 5000))
        factoring[f"f{k}"] = c
    reverse = {}
    for k in range(rng.randint(0, 2)):
        c = {}
        if rng.random() < 0.8:
            c["extension_days"] = rng.choice([30, 60, 90, rng.randint(0, 120)])
        if rng.random() < 0.8:
            c["annual_rate"] = rate_text(rng, 0, 8, 2)
        if rng.random() < 0.7:
            c["captures_discounts"] = rng.random() < 0.7
        reverse[f"rf{k}"] = c
    supplier = {}
    for k in range(rng.randint(0, 2)):
        c = {}
        if rng.random() < 0.8:
            c["term_days"] = rng.randint(15, 120)
        if rng.random() < 0.8:
            c["monthly_rate"] = rate_text(rng, 0, 2, 2)
        if rng.random() < 0.3:
            c["max_amount"] = cents_str(rand_amount(rng, 1000, 50000))
        supplier[f"sf{k}"] = c
    split = {}
    for k in range(rng.randint(0, 2)):
        c = {}
        if rng.random() < 0.8:
            c["instalments"] = rng.randint(2, 12)
        if rng.random() < 0.8:
            c["fee_rate"] = rate_text(rng, 0, 5, 2)
        if rng.random() < 0.3:
            c["max_amount"] = cents_str(rand_amount(rng, 1000, 50000))
        split[f"sp{k}"] = c
    negotiation = None
    if rng.random() < 0.7:
        negotiation = {}
        if rng.random() < 0.8:
            negotiation["target_days"] = rng.choice([30, 45, 60, 75, 90, rng.randint(0, 120)])
        if rng.random() < 0.2:
            negotiation["cap_days"] = rng.choice([60, 45, 30])
        if rng.random() < 0.5:
            negotiation["cap_method"] = rng.choice(["days_from_issue", "45_end_of_month"])
        if rng.random() < 0.5:
            negotiation["ecb_rate"] = rate_text(rng, 0, 4, 2)
        if rng.random() < 0.5:
            negotiation["late_penalty_points"] = rng.choice(["10", "8", "12.5"])
        if rng.random() < 0.5:
            negotiation["fixed_indemnity"] = rng.choice(["40.00", "40", "0", "100.00"])

    open_r = [i for i in receivables if i.status == "open"]
    open_p = [i for i in payables if i.status == "open"]
    plans = []
    for k in range(rng.randint(0, 4)):
        decs = []
        for _ in range(rng.randint(0, 5)):
            side = rng.choice(["r", "p"])
            if side == "r":
                if not factoring or not receivables:
                    continue
                act = rng.choice([f"factor:{n}" for n in factoring] + ["none"] if rng.random() < 0.15
                                 else [f"factor:{n}" for n in factoring])
                sel = rng.random()
                if sel < 0.05:
                    # an id that is not an open receivable: paid, disputed, or a payable
                    decs.append(("invoice", rng.choice(receivables + payables).id, act))
                elif sel < 0.35 and open_r:
                    decs.append(("invoice", rng.choice(open_r).id, act))
                elif sel < 0.55:
                    decs.append(("customer", rng.choice(receivables).party, act))
                elif sel < 0.75:
                    thr = rng.choice(receivables).amount if rng.random() < 0.4 else rand_amount(rng, 100, 40000)
                    decs.append(("receivables_above", thr, act))
                else:
                    decs.append(("all", "receivables", act))
            else:
                if not payables:
                    continue
                acts = [f"reverse:{n}" for n in reverse] + [f"supplier:{n}" for n in supplier] + \
                       [f"split:{n}" for n in split] + ["negotiate", f"late:{rng.randint(1, 60)}"]
                if rng.random() < 0.1:
                    acts.append("none")
                act = rng.choice(acts)
                sel = rng.random()
                if sel < 0.05:
                    decs.append(("invoice", rng.choice(payables).id, act))
                elif sel < 0.35 and open_p:
                    decs.append(("invoice", rng.choice(open_p).id, act))
                elif sel < 0.55:
                    decs.append(("supplier", rng.choice(payables).party, act))
                elif sel < 0.75:
                    thr = rng.choice(payables).amount if rng.random() < 0.4 else rand_amount(rng, 100, 40000)
                    decs.append(("payables_above", thr, act))
                else:
                    decs.append(("all", "payables", act))
        defaulted = []
        if open_r and rng.random() < (0.6 if factoring else 0.3):
            defaulted = [i.id for i in rng.sample(open_r, rng.randint(1, min(4, len(open_r))))]
            if rng.random() < 0.1:
                defaulted.append(rng.choice(receivables + payables).id)
            defaulted = list(dict.fromkeys(defaulted))
        plans.append({"name": f"plan {k}", "decisions": decs, "defaulted": defaulted})

    return Scenario(f"Seed {seed}", start, horizon, opening, min_cash, cal, delay_default, delays, od_limit, od_rate,
                    od_comm, recurring, receivables, payables, factoring, reverse, supplier, split, negotiation, plans)


# ---------------------------------------------------------------------------------------- reference
FACT_DEFAULTS = dict(kind="global", advance_rate="90", commission_rate="0", minimum_commission="0", vat_rate="20",
                     annual_rate="0", grace_days=0, funding_delay_days=2, recourse=True, reclaim_days=30,
                     notified=True, insurance_coverage="0", indemnity_delay_days=0, min_invoice=None,
                     max_invoice=None, excluded_customers=[], annual_minimum_fee="0")
NEG_DEFAULTS = dict(target_days=60, cap_days=60, cap_method="days_from_issue", ecb_rate="2.15",
                    late_penalty_points="10", fixed_indemnity="40.00")


@dataclass
class Mv:
    date: dt.date
    cat: str  # receipt | disbursement | financing
    amount: int  # signed cents
    label: str
    ref: str


@dataclass
class PlanResult:
    name: str
    days: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


class Reference:
    def __init__(self, sc: Scenario):
        self.sc = sc
        self.cal = Calendar(sc.calendar)
        self.start = sc.start
        self.end = sc.start + dt.timedelta(days=sc.horizon - 1)
        self.neg = dict(NEG_DEFAULTS, **(sc.negotiation or {}))

    def in_h(self, d):
        return self.start <= d <= self.end

    # -- section 2
    def delay_for(self, name: str) -> int:
        if name in self.sc.delays:
            return self.sc.delays[name]
        for k, v in self.sc.delays.items():
            if k.lower() == name.lower():
                COV["customer delay matched case-insensitively"] += 1
                return v
        return self.sc.delay_default or 0

    def scheduled(self, inv: Invoice, receivable: bool) -> dt.date:
        if inv.expected:
            return inv.expected
        if receivable:
            return inv.due + dt.timedelta(days=self.delay_for(inv.party))
        return inv.due

    def settle(self, sched: dt.date):
        """-> (date, overdue)"""
        if sched < self.start:
            COV["overdue invoice"] += 1
            if not self.cal.is_business(self.start):
                COV["overdue invoice, start on a closed day"] += 1
            return self.cal.following(self.start), True
        return self.cal.following(sched), False

    def recurring_movements(self):
        out = []
        lo = self.start - dt.timedelta(days=40)
        for r in self.sc.recurring:
            every = r["every"]
            day = r.get("day", 1)
            dates = []
            if every == "week":
                d = lo
                while d <= self.end:
                    if d.isoweekday() == day:
                        dates.append(d)
                    d += ONE_DAY
            else:
                y, m = add_months(lo.year, lo.month, -1)
                month0 = r.get("month", 1)
                while dt.date(y, m, 1) <= self.end:
                    ok = every == "month" or (every == "quarter" and (m - month0) % 3 == 0) or \
                        (every == "year" and m == month0)
                    if ok:
                        dates.append(dt.date(y, m, min(day, month_end(y, m))))
                    y, m = add_months(y, m, 1)
            for s in dates:
                if r.get("from") and s < r["from"]:
                    continue
                if r.get("until") and s > r["until"]:
                    continue
                # AMBIGUITY: an occurrence scheduled before the start (e.g. on the Sunday before a Monday start) —
                # read literally, the projection starts at `start`, so occurrences scheduled before it are not part of it.
                if s < self.start:
                    if self.cal.following(s) >= self.start:
                        COV["recurring occurrence before start rolling onto the start (dropped)"] += 1
                    continue
                d = self.cal.following(s)
                cat = "receipt" if r["amount"] > 0 else "disbursement"
                out.append(Mv(d, cat, r["amount"], r["label"], r["label"]))
        return out

    # -- decisions
    def resolve(self, plan):
        """-> dict invoice id -> action (None = no decision)."""
        rec = [i for i in self.sc.receivables if i.status == "open"]
        pay = [i for i in self.sc.payables if i.status == "open"]
        chosen = {}
        by_id = {}
        open_ids = {i.id for i in rec} | {i.id for i in pay}
        self.bad_ids = []
        for sk, sv, act in plan["decisions"]:
            if sk == "invoice":
                # AMBIGUITY: an id that is no open invoice of the action's side (paid, disputed, the other side).
                # The docs only say a decision an instrument cannot take is refused and changes nothing; treso
                # counts each such decision as refused and ignores it (it does not override an earlier decision).
                side_open = {i.id for i in rec} if act.startswith("factor:") else \
                    ({i.id for i in pay} if act != "none" else open_ids)
                if sv not in side_open:
                    self.bad_ids.append(sv)
                    continue
                by_id[sv] = act
                continue
            if sk == "customer":
                targets = [i for i in rec if i.party == sv]
            elif sk == "supplier":
                targets = [i for i in pay if i.party == sv]
            elif sk == "receivables_above":
                targets = [i for i in rec if i.amount > sv or (i.amount == sv and "K3" in ACCEPT)]
            elif sk == "payables_above":
                targets = [i for i in pay if i.amount > sv or (i.amount == sv and "K3" in ACCEPT)]
            elif sk == "all":
                targets = rec if sv == "receivables" else pay
            else:
                raise ValueError(sk)
            for i in targets:
                chosen[i.id] = act
        chosen.update(by_id)
        return chosen

    def legal_cap(self, inv: Invoice) -> dt.date:
        if self.neg["cap_method"] == "45_end_of_month":
            d = inv.issue + dt.timedelta(days=45)
            return dt.date(d.year, d.month, month_end(d.year, d.month))
        return inv.issue + dt.timedelta(days=int(self.neg["cap_days"]))

    # -- one plan
    def project(self, plan) -> PlanResult:
        sc = self.sc
        res = PlanResult(plan["name"])
        mvs: list[Mv] = []
        operating = 0
        financial = 0  # excluding bank charges
        penalties = 0
        vat = 0
        breaches = 0
        denom = 0  # Σ amount × days (cents·days)
        applied = refused = 0
        self.bad_ids = []
        actions = self.resolve(plan) if plan.get("negotiate_all") is None else \
            {i.id: "negotiate" for i in sc.payables if i.status == "open"}
        defaulted = set(plan.get("defaulted", []))
        for x in self.bad_ids:
            refused += 1
            COV["decision on an id that is not an open invoice of its side"] += 1
        open_rec = {i.id for i in sc.receivables if i.status == "open"}
        for x in defaulted - open_rec:
            refused += 1
            COV["defaulted id that is not an open receivable"] += 1
        used_contracts = {}

        mvs += self.recurring_movements()

        for inv in sc.receivables:
            if inv.status != "open":
                continue
            sched = self.scheduled(inv, True)
            C, overdue = self.settle(sched)
            act = actions.get(inv.id)
            dflt = inv.id in defaulted
            factored = False
            if act and act.startswith("factor:"):
                cname = act.split(":", 1)[1]
                c = dict(FACT_DEFAULTS, **sc.factoring[cname])
                F = self.cal.add_business_days(max(self.start, inv.issue), int(c["funding_delay_days"]))
                reason = None
                if overdue:
                    reason = "overdue"
                elif c["min_invoice"] is not None and inv.amount < parse_cents(c["min_invoice"]):
                    reason = "below min"
                elif c["max_invoice"] is not None and inv.amount > parse_cents(c["max_invoice"]):
                    reason = "above max"
                elif inv.party in c["excluded_customers"]:
                    reason = "excluded"
                elif not C > F:
                    reason = "collection not after funding"
                if reason:
                    COV["factoring refused: " + reason] += 1
                    refused += 1
                    res.notes.append(f"{inv.id} refused: {reason}")
                else:
                    applied += 1
                    COV["factoring applied"] += 1
                    COV["factoring with grace days" if int(c["grace_days"]) else "factoring without grace"] += 1
                    COV[f"factoring funding delay {c['funding_delay_days']}"] += 1
                    if not self.cal.is_business(max(self.start, inv.issue)):
                        COV["factoring funded from a closed day"] += 1
                    if parse_cents(c["minimum_commission"]) > rnd(inv.amount * pct(c["commission_rate"])):
                        COV["factoring minimum commission binding"] += 1
                    factored = True
                    adv = rnd(inv.amount * pct(c["advance_rate"]))
                    comm = max(parse_cents(c["minimum_commission"]), rnd(inv.amount * pct(c["commission_rate"])))
                    cvat = rnd(comm * pct(c["vat_rate"]))
                    days = (C - F).days + int(c["grace_days"])
                    interest = rnd(adv * pct(c["annual_rate"]) * days / 360)
                    mvs += [Mv(F, "financing", adv, "advance", inv.id), Mv(F, "financing", -comm, "commission", inv.id),
                            Mv(F, "financing", -cvat, "commission VAT", inv.id),
                            Mv(F, "financing", -interest, "interest", inv.id)]
                    # AMBIGUITY: are the costs of operations that fall (partly or wholly) after the horizon counted?
                    # The docs do not say; treso counts every decided operation's full cost (and its days in the
                    # effective rate), while bank charges only exist inside the horizon.  The reference does the same.
                    operating += comm
                    vat += cvat
                    financial += interest
                    denom += adv * days
                    used_contracts.setdefault(cname, []).append(comm)
                    reserve = inv.amount - adv
                    if dflt:
                        COV["factored default " + ("with" if c["recourse"] else "without") + " recourse" +
                            (" insured" if pct(c["insurance_coverage"]) > 0 else "")] += 1
                    if not dflt:
                        mvs.append(Mv(C, "financing", reserve, "reserve", inv.id))
                    elif not c["recourse"]:
                        mvs.append(Mv(C, "financing", reserve, "reserve (no recourse)", inv.id))
                    else:
                        # calculations.md §6: following(due + days), never before the start.
                        def after(days):
                            return self.cal.following(max(inv.due + dt.timedelta(days=days), self.start))
                        rd = after(int(c["reclaim_days"]))
                        mvs.append(Mv(rd, "financing", -adv, "advance reclaimed", inv.id))
                        cov = pct(c["insurance_coverage"])
                        if cov > 0:
                            idd = after(int(c["indemnity_delay_days"]))
                            mvs.append(Mv(idd, "financing", rnd(inv.amount * cov), "indemnity", inv.id))
            elif act and act != "none":
                refused += 1
                res.notes.append(f"{inv.id} refused: {act} on a receivable")
            if not factored and dflt:
                COV["defaulted, not factored"] += 1
            if not factored and not dflt:
                mvs.append(Mv(C, "receipt", inv.amount, "collection" + (" (overdue)" if overdue else ""), inv.id))
            elif not factored and dflt and "K2" in ACCEPT and act and act.startswith("factor:"):
                mvs.append(Mv(C, "receipt", inv.amount, "collection" + (" (overdue)" if overdue else ""), inv.id))

        for inv in sc.payables:
            if inv.status != "open":
                continue
            sched = self.scheduled(inv, False)
            P, overdue = self.settle(sched)
            act = actions.get(inv.id)
            ordinary = True
            kind, _, arg = (act or "none").partition(":")
            # decisions.md: payable instruments start from the *planned payment date* — the expected_date, else the
            # due date, never before the start (not business-day adjusted; the instrument's own dates are adjusted).
            PP = max(sched, self.start)
            if overdue and kind not in ("none", "factor") and "K1" in ACCEPT:
                refused += 1
                res.notes.append(f"{inv.id} refused: overdue payable (K1)")
                kind = "none"
            if kind != "none":
                COV[f"payable decision {kind}"] += 1
            if kind == "reverse":
                c = dict(dict(extension_days=60, annual_rate="0", captures_discounts=False), **sc.reverse[arg])
                ext = int(c["extension_days"])
                pay_date = self.cal.following(PP + dt.timedelta(days=ext))
                fee = rnd(inv.amount * pct(c["annual_rate"]) * ext / 360)
                disc = 0
                # AMBIGUITY: section 7 does not say whether the discount must still be ahead (section 8 does).
                # calculations.md §7: only while the discount window is still open at the start.
                if c["captures_discounts"] and inv.discount and inv.issue + dt.timedelta(days=inv.discount[1]) >= self.start:
                    COV["reverse factoring captures a discount"] += 1
                    disc = rnd(inv.amount * inv.disc_rate())
                mvs += [Mv(pay_date, "financing", -(inv.amount - disc), "deferred payment", inv.id),
                        Mv(pay_date, "financing", -fee, "rf fee", inv.id)]
                ordinary = False
                applied += 1
                financial += fee - disc
                # AMBIGUITY: "days deferred" (section 11) is undefined.  treso: from the ordinary settlement date
                # following(P) to the deferred payment (not the extension days the fee is charged on).
                denom += inv.amount * (pay_date - P).days
            elif kind == "supplier":
                c = dict(dict(term_days=60, monthly_rate="0", max_amount=None), **sc.supplier[arg])
                if c["max_amount"] is not None and inv.amount > parse_cents(c["max_amount"]):
                    refused += 1
                    res.notes.append(f"{inv.id} refused: above supplier max")
                else:
                    term = int(c["term_days"])
                    base = PP
                    financed = inv.amount
                    disc = 0
                    if inv.discount:
                        dd = inv.issue + dt.timedelta(days=inv.discount[1])
                        # AMBIGUITY: "a discount still ahead" — ahead of what?  Read literally (not passed at the
                        # start) a discount date after P would make the platform pay later than planned; treso
                        # captures it only when start <= discount date <= P.  The reference does the same.
                        if self.start <= dd <= PP:
                            COV["supplier financing captures a discount"] += 1
                            base = dd
                            disc = rnd(inv.amount * inv.disc_rate())
                            financed = inv.amount - disc
                    rep = self.cal.following(base + dt.timedelta(days=term))
                    fee = rnd(financed * pct(c["monthly_rate"]) * term / 30)
                    mvs += [Mv(rep, "financing", -financed, "sf repayment", inv.id),
                            Mv(rep, "financing", -fee, "sf fee", inv.id)]
                    ordinary = False
                    applied += 1
                    financial += fee - disc
                    # AMBIGUITY: "days deferred" — treso counts the financed amount × the term (not the actual shift
                    # of the payment, unlike reverse factoring).
                    denom += financed * term
            elif kind == "split":
                c = dict(dict(instalments=3, fee_rate="0", max_amount=None), **sc.split[arg])
                if c["max_amount"] is not None and inv.amount > parse_cents(c["max_amount"]):
                    refused += 1
                    res.notes.append(f"{inv.id} refused: above split max")
                else:
                    n = int(c["instalments"])
                    part = inv.amount // n
                    fee = rnd(inv.amount * pct(c["fee_rate"]))
                    for k in range(n):
                        amt = part if k < n - 1 else inv.amount - part * (n - 1)
                        d = self.cal.following(PP + dt.timedelta(days=30 * k))
                        mvs.append(Mv(d, "financing", -amt, f"instalment {k + 1}", inv.id))
                        # AMBIGUITY: "days after P" — treso counts 30·k nominal days, not the settled date − P.
                        denom += amt * 30 * k
                    d0 = self.cal.following(PP)
                    mvs.append(Mv(d0, "financing", -fee, "split fee", inv.id))
                    financial += fee
                    ordinary = False
                    applied += 1
            elif kind == "negotiate":
                target = inv.issue + dt.timedelta(days=int(self.neg["target_days"]))
                cap = self.legal_cap(inv)
                new_due = max(inv.due, min(target, cap))
                COV["negotiate " + self.neg["cap_method"]] += 1
                if target > cap:
                    COV["negotiation breach"] += 1
                    breaches += 1
                # AMBIGUITY: the docs do not say what negotiation does to an invoice with an expected_date.
                # decisions.md: "Negotiation never moves a payment earlier than the invoice's own terms" — read as:
                # the payment is scheduled on the later of the planned date and the negotiated due date.
                sched2 = max(sched, new_due)
                P2, od2 = self.settle(sched2)
                mvs.append(Mv(P2, "disbursement", -inv.amount, "negotiated payment", inv.id))
                denom += inv.amount * (P2 - P).days
                ordinary = False
                applied += 1
            elif kind == "late":
                n = int(arg)
                pay_date = self.cal.following(P + dt.timedelta(days=n))
                rate = pct(self.neg["ecb_rate"]) + pct(self.neg["late_penalty_points"])
                # AMBIGUITY: "days late" is not defined: N (the decision), or the calendar days from the due date to
                # the (business-day adjusted) payment?  treso counts the calendar days from the planned payment date P
                # (following(due), or the start when overdue) to the payment, following(P + N) — its label says
                # "N d after due" though.
                late_days = (pay_date - P).days
                interest = rnd(inv.amount * rate * late_days / 365)
                ind = parse_cents(self.neg["fixed_indemnity"])
                mvs += [Mv(pay_date, "disbursement", -inv.amount, "late payment", inv.id),
                        Mv(pay_date, "financing", -interest, "late interest", inv.id),
                        Mv(pay_date, "financing", -ind, "indemnity", inv.id)]
                penalties += interest + ind
                denom += inv.amount * late_days
                COV["late payment"] += 1
                if pay_date > self.legal_cap(inv):
                    COV["late payment breach"] += 1
                    breaches += 1
                ordinary = False
                applied += 1
            elif kind == "factor":
                refused += 1
                res.notes.append(f"{inv.id} refused: factor on a payable")
            if ordinary:
                mvs.append(Mv(P, "disbursement", -inv.amount, "payment" + (" (overdue)" if overdue else ""), inv.id))

        # global contracts' annual minimum fee
        for cname, comms in used_contracts.items():
            c = dict(FACT_DEFAULTS, **sc.factoring[cname])
            if c["kind"] != "global":
                continue
            floor = rnd(parse_cents(c["annual_minimum_fee"]) * Fr(sc.horizon, 365))
            top = max(0, floor - sum(comms))
            COV["global minimum fee " + ("top-up" if top > 0 else "already reached")] += 1
            if top > 0:
                tvat = rnd(top * pct(c["vat_rate"]))
                # calculations.md §5: on the horizon's last business day (never before the start).
                last = self.end
                while not self.cal.is_business(last) and last > self.start:
                    last -= dt.timedelta(days=1)
                mvs += [Mv(last, "financing", -top, "minimum fee top-up", cname),
                        Mv(last, "financing", -tvat, "VAT on top-up", cname)]
                operating += top
                vat += tvat

        # -- section 3/4: the daily walk
        byday = {}
        for m in mvs:
            if self.in_h(m.date):
                byday.setdefault(m.date, []).append(m)
        bal = sc.opening
        od_rate = pct(sc.od_rate)
        od_comm = pct(sc.od_comm)
        sum_debit = 0
        max_debit = 0
        tot_int = tot_comm = 0
        d = self.start
        lowest = None
        lowest_date = None
        days_od = days_lim = days_buf = 0
        min_cash = sc.min_cash or 0
        all_debits = 0
        while d <= self.end:
            ms = byday.get(d, [])
            rec = sum(m.amount for m in ms if m.cat == "receipt")
            dis = -sum(m.amount for m in ms if m.cat == "disbursement")
            fin = sum(m.amount for m in ms if m.cat == "financing")
            opening = bal
            bal = bal + rec - dis + fin
            debit = max(0, -bal)
            sum_debit += debit
            all_debits += debit
            max_debit = max(max_debit, debit)
            charges = 0
            if d == self.end or (d + ONE_DAY).month != d.month:
                i = rnd(sum_debit * od_rate / 360)
                cm = rnd(max_debit * od_comm)
                tot_int += i
                tot_comm += cm
                charges = i + cm
                sum_debit = max_debit = 0
            bal -= charges
            flags = []
            if bal < 0:
                flags.append("overdrawn")
                days_od += 1
            if -bal > sc.od_limit:
                flags.append("over_limit")
                days_lim += 1
            if bal < min_cash:
                flags.append("below_buffer")
                days_buf += 1
            if lowest is None or bal < lowest:
                lowest, lowest_date = bal, d
            res.days.append(dict(date=d.isoformat(), opening=opening, receipts=rec, disbursements=dis, financing=fin,
                                 charges=charges, closing=bal, flags=flags))
            d += ONE_DAY
        bank = tot_int + tot_comm
        res.summary = dict(lowest_balance=lowest, lowest_balance_date=lowest_date.isoformat(),
                           peak_overdraft=max(0, -lowest), days_overdrawn=days_od, days_over_limit=days_lim,
                           days_below_buffer=days_buf, bank_charges=bank, overdraft_interest=tot_int,
                           overdraft_commission=tot_comm, final_balance=bal)
        fin_cost = financial + bank + penalties
        total = operating + fin_cost
        denom += all_debits
        ear = None
        if denom != 0:
            ear = Fr(total * 365 * 100, denom)  # percent
        res.metrics = dict(total_cost=total, operating_cost=operating, financial_cost=fin_cost, bank_charges=bank,
                           penalties=penalties, recoverable_vat=vat, effective_annual_rate=ear,
                           lowest_balance=lowest, lowest_balance_date=lowest_date.isoformat(),
                           peak_overdraft=max(0, -lowest), days_overdrawn=days_od, days_below_buffer=days_buf,
                           days_over_limit=days_lim, legal_breaches=breaches, decisions=applied, refused=refused)
        res.byday = byday
        return res

    def all_plans(self):
        out = [self.project({"name": "overdraft only", "decisions": []}),
               self.project({"name": "negotiate terms", "decisions": [], "negotiate_all": True})]
        for p in self.sc.plans:
            out.append(self.project(p))
        return out


def fmt_rate(fr: Fr | None):
    """Percent with 4 decimals, half away from zero (AMBIGUITY: the JSON rate's precision is undocumented)."""
    if fr is None:
        return None
    if "K6" in ACCEPT:  # treso: rounded first to a Rate (fraction × 10⁹), then to 4 decimals of a percent
        v = rnd(Fr(rnd(fr * 10 ** 7), 1000))
    else:
        v = rnd(fr * 10000)
    s = "-" if v < 0 else ""
    v = abs(v)
    return f"{s}{v // 10000}.{v % 10000:04d}"


# ------------------------------------------------------------------------------------------ compare
MONEY_DAY = ["opening", "receipts", "disbursements", "financing", "charges", "closing"]
MONEY_SUM = ["lowest_balance", "peak_overdraft", "bank_charges", "overdraft_interest", "overdraft_commission",
             "final_balance"]
MONEY_CMP = ["total_cost", "operating_cost", "financial_cost", "bank_charges", "penalties", "recoverable_vat",
             "lowest_balance", "peak_overdraft"]
INT_CMP = ["days_overdrawn", "days_below_buffer", "days_over_limit", "legal_breaches", "decisions", "refused"]


def run_json(args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip() or p.stdout.strip()
    return json.loads(p.stdout), None


class Checker:
    def __init__(self, treso, verbose=False, max_per_plan=3):
        self.treso = treso
        self.verbose = verbose
        self.max_per_plan = max_per_plan
        self.mismatches = []
        self.stats = dict(seeds=0, plans=0, days=0)

    def report(self, seed, plan, where, expected, actual, what):
        line = f"seed {seed} [{plan}] {where}: expected {expected}, treso {actual} — {what}"
        self.mismatches.append(line)
        print(line)

    def check_invariants(self, seed, plan, days, cal, ctx):
        n = 0
        for i, row in enumerate(days):
            o, r, di, f, c, cl = (parse_cents(row[k]) for k in MONEY_DAY)
            if o + r - di + f - c != cl:
                self.report(seed, plan, row["date"], cents_str(o + r - di + f - c), row["closing"],
                            "invariant closing = opening + receipts − disbursements + financing − charges")
                n += 1
            if i > 0 and parse_cents(days[i - 1]["closing"]) != o:
                self.report(seed, plan, row["date"], days[i - 1]["closing"], row["opening"],
                            "invariant opening(d+1) = closing(d)")
                n += 1
            topup_only = all(m.label in ("minimum fee top-up", "VAT on top-up") for m in ctx.byday.get(D(row["date"]), [])
                             if m.cat == "financing") and not r and not di
            if not cal.is_business(D(row["date"])) and (r or di or f) and not topup_only:
                self.report(seed, plan, row["date"], "no cash movement", f"r={row['receipts']} d={row['disbursements']} "
                            f"f={row['financing']}", f"invariant: cash moved on a closed day ({cal.name})")
                n += 1
            if n >= self.max_per_plan:
                break

    def check_seed(self, seed, keep_dir=None, tmp_root=None, folder=None):
        if folder is None:
            sc = gen_scenario(seed)
            folder = os.path.join(tmp_root, f"seed-{seed}")
            os.makedirs(folder, exist_ok=True)
            write_scenario(sc, folder)
            cleanup = True
        else:
            sc = load_scenario(folder)
            cleanup = False
        ref = Reference(sc)
        before = len(self.mismatches)
        plans = ref.all_plans()
        self.stats["seeds"] += 1
        cmpj, err = run_json([self.treso, "compare", folder, "--format", "json"])
        if cmpj is None:
            self.report(seed, "-", "compare", "exit 0", "error", err[:300])
        else:
            self.compare_metrics(seed, plans, cmpj)
        for pr in plans:
            args = [self.treso, "project", folder, "--format", "json"]
            if pr.name != "overdraft only":
                args += ["--plan", pr.name]
            pj, err = run_json(args)
            self.stats["plans"] += 1
            if pj is None:
                self.report(seed, pr.name, "project", "exit 0", "error", err[:300])
                continue
            self.stats["days"] += len(pj["days"])
            self.check_invariants(seed, pr.name, pj["days"], ref.cal, pr)
            self.compare_days(seed, pr, pj, ref, folder)
        failed = len(self.mismatches) > before
        if failed and keep_dir:
            dst = os.path.join(keep_dir, f"seed-{seed}")
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(folder, dst)
        if cleanup:
            shutil.rmtree(folder, ignore_errors=True)
        return not failed

    def compare_days(self, seed, pr, pj, ref, folder):
        if len(pj["days"]) != len(pr.days):
            self.report(seed, pr.name, "days", len(pr.days), len(pj["days"]), "number of projected days")
            return
        n = 0
        for e, a in zip(pr.days, pj["days"]):
            if e["date"] != a["date"]:
                self.report(seed, pr.name, "date", e["date"], a["date"], "row date")
                return
            bad = [k for k in MONEY_DAY if e[k] != parse_cents(a[k])]
            if sorted(e["flags"]) != sorted(a["flags"]):
                bad.append("flags")
            # the opening/closing drift once a movement differs: report only the first days where movements differ
            mov_bad = [k for k in bad if k in ("receipts", "disbursements", "financing", "charges", "flags")]
            if mov_bad or (bad and n == 0):
                desc = ", ".join(f"{k} exp {cents_str(e[k]) if k != 'flags' else e[k]} got {a[k]}" for k in bad)
                extra = ""
                if self.verbose:
                    ms = pr.byday.get(D(e["date"]), [])
                    extra = " | ref movements: " + "; ".join(f"{m.ref} {m.label} {cents_str(m.amount)}" for m in ms)
                    dj, _ = run_json([self.treso, "project", folder, "--format", "json", "--day", e["date"]] +
                                     (["--plan", pr.name] if pr.name != "overdraft only" else []))
                    if dj:
                        extra += " | treso movements: " + "; ".join(
                            f"{m['reference']} {m['label']} {m['amount']}" for m in dj["movements"])
                self.report(seed, pr.name, e["date"], "", "", desc + extra)
                n += 1
                if n >= self.max_per_plan:
                    return
        for k, v in pr.summary.items():
            ev = cents_str(v) if k in MONEY_SUM else v
            if str(ev) != str(pj["summary"].get(k)):
                self.report(seed, pr.name, f"summary.{k}", ev, pj["summary"].get(k), "project summary")

    def compare_metrics(self, seed, plans, cmpj):
        got = {p["name"]: p for p in cmpj["plans"]}
        names = [p.name for p in plans]
        if [p["name"] for p in cmpj["plans"]] != names:
            self.report(seed, "-", "plans", names, [p["name"] for p in cmpj["plans"]], "plan list")
        best = None
        best_cost = None
        for pr in plans:
            a = got.get(pr.name)
            if a is None:
                continue
            m = pr.metrics
            for k in MONEY_CMP:
                if cents_str(m[k]) != a[k]:
                    self.report(seed, pr.name, f"compare.{k}", cents_str(m[k]), a[k], "comparison figure")
            for k in INT_CMP:
                if m[k] != a[k]:
                    self.report(seed, pr.name, f"compare.{k}", m[k], a[k], "comparison count")
            if m["lowest_balance_date"] != a["lowest_balance_date"]:
                self.report(seed, pr.name, "compare.lowest_balance_date", m["lowest_balance_date"],
                            a["lowest_balance_date"], "date of the lowest balance")
            er = fmt_rate(m["effective_annual_rate"])
            if er != a["effective_annual_rate"]:
                self.report(seed, pr.name, "compare.effective_annual_rate", er, a["effective_annual_rate"],
                            "effective annual rate (percent)")
            if m["days_over_limit"] == 0 and (best_cost is None or m["total_cost"] < best_cost):
                best, best_cost = pr.name, m["total_cost"]
        for pr in plans:
            a = got.get(pr.name)
            if a is not None and a.get("best") != (pr.name == best):
                self.report(seed, pr.name, "compare.best (per plan)", pr.name == best, a.get("best"), "★ flag")
        if best != cmpj.get("best"):
            self.report(seed, "-", "compare.best", best, cmpj.get("best"),
                        "★ the cheapest plan that never exceeds the limit")


# ------------------------------------------------------------------------------------ calendar check
def calendar_check(chk: Checker, tmp_root: str):
    """One payable due on every day of a year, per calendar: each must be paid on following(due)."""
    for cal in ("FR", "TARGET"):
        for year in range(2026, 2031):
            folder = os.path.join(tmp_root, f"cal-{cal}-{year}")
            os.makedirs(folder, exist_ok=True)
            start = dt.date(year, 1, 1)
            n = (dt.date(year + 1, 1, 1) - start).days
            invs = [Invoice(f"C-{k:03d}", "S", start, start + dt.timedelta(days=k), 100 + k) for k in range(n)]
            sc = Scenario(f"cal {cal} {year}", start, n + 10, 0, None, cal, None, {}, 0, "0", "0", [], [], invs,
                          {}, {}, {}, {}, None, [])
            write_scenario(sc, folder)
            ref = Reference(sc)
            pj, err = run_json([chk.treso, "project", folder, "--format", "json"])
            chk.stats["days"] += len(pj["days"]) if pj else 0
            if pj is None:
                chk.report(f"cal-{cal}-{year}", "-", "project", "exit 0", "error", err)
                continue
            for row in pj["days"]:
                d = D(row["date"])
                exp = sum(i.amount for i in invs if ref.cal.following(i.due) == d)
                if parse_cents(row["disbursements"]) != exp:
                    chk.report(f"cal-{cal}-{year}", "overdraft only", row["date"], cents_str(exp),
                               row["disbursements"], f"{cal} business day / following rule "
                               f"({'business' if ref.cal.is_business(d) else 'closed'} day for the reference)")
            shutil.rmtree(folder, ignore_errors=True)


def parse_seeds(s: str):
    out = []
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += list(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0-199")
    ap.add_argument("--treso", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "debug",
                                                    "treso"))
    ap.add_argument("--keep", metavar="DIR", help="copy failing scenario folders here")
    ap.add_argument("--verbose", action="store_true", help="show both sides' movements on a mismatching day")
    ap.add_argument("--no-calendar", action="store_true", help="skip the calendar sweep")
    ap.add_argument("--folder", action="append", default=[],
                    help="also check an existing scenario folder (canonical CSV), e.g. examples/cases/*")
    ap.add_argument("--accept", default="", help="comma-separated known discrepancies to adopt: " +
                    "; ".join(f"{k}: {v}" for k, v in KNOWN.items()))
    ap.add_argument("--dump", type=int, metavar="SEED", help="write this seed's scenario to --keep DIR and exit")
    a = ap.parse_args()
    if a.dump is not None:
        dst = os.path.join(a.keep or ".", f"seed-{a.dump}")
        os.makedirs(dst, exist_ok=True)
        write_scenario(gen_scenario(a.dump), dst)
        print(dst)
        return 0
    ACCEPT.update(x for x in a.accept.split(",") if x)
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
    chk = Checker(os.path.abspath(a.treso), a.verbose)
    tmp = tempfile.mkdtemp(prefix="treso-ref-")
    try:
        if not a.no_calendar:
            calendar_check(chk, tmp)
        failing = []
        for f in a.folder:
            if not chk.check_seed(os.path.basename(os.path.normpath(f)), None, tmp, folder=f):
                failing.append(f)
        for s in parse_seeds(a.seeds) if a.seeds else []:
            if not chk.check_seed(s, a.keep, tmp):
                failing.append(s)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    st = chk.stats
    print("\ncoverage of the reference's rules (all plans of all seeds):")
    for k, v in sorted(COV.items()):
        print(f"  {v:7d}  {k}")
    print(f"\ncompared {st['seeds']} seeds, {st['plans']} plan projections, {st['days']} days; "
          f"{len(chk.mismatches)} mismatches in {len(failing)} seeds{': ' + ' '.join(map(str, failing)) if failing else ''}")
    missing = [k for k in KNOWN if k not in ACCEPT]
    if chk.mismatches and missing:
        print("known discrepancies the reference does not adopt (pass --accept to look past them):")
        for k in missing:
            print(f"  {k}: {KNOWN[k]}")
    return 1 if chk.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
