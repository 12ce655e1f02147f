#!/usr/bin/env python3
"""Generates examples/demo: a believable French metalwork SME with a cash squeeze in January.

Deterministic (fixed seed), so the committed files are reproducible:  python3 scripts/make-demo.py
Receivables are written the way French accounting software exports them (semicolons, decimal comma,
dd/mm/yyyy, BOM, CRLF); payables in treso's canonical CSV. Both load as they are.
"""
import datetime as dt
import os
import random

rng = random.Random(20261201)
START = dt.date(2026, 12, 1)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "demo")
os.makedirs(out, exist_ok=True)

customers = [
    ("Acme Industrie SA", 25, 3), ("Brico Pro Distribution", 18, 3), ("Chantiers Lemoine", 12, 2),
    ("Constructions Vasseur", 20, 2), ("Delta Maintenance", 5, 1), ("Électricité Morel", 8, 1),
    ("Fermetures Bretonnes", 10, 1), ("Garnier Agencement", 15, 1), ("Hôpital Saint-Louis", 45, 2),
    ("Immo Rives de Loire", 14, 1), ("Jardins du Val", 3, 1), ("Kléber Logistique", 9, 1),
    ("Lycée Jules Verne", 30, 1), ("Menuiserie Aubert", 7, 1), ("Nantes Métropole", 40, 2),
    ("Océan Yachting", 11, 1), ("Plomberie Caradec", 6, 1), ("Quincaillerie Centrale", 4, 1),
    ("Rénov'Habitat", 16, 1), ("Serrurerie Tanguy", 2, 1), ("Transports Le Goff", 8, 1),
    ("Usinage Précis 44", 12, 1), ("Vinci Construction Ouest", 22, 3), ("Wattelec", 5, 1),
    ("Ateliers Zhang & Fils", 9, 1),
]
suppliers = [
    ("Aciers du Nord", 6), ("ArcelorMittal Distribution", 5), ("Würth France", 3), ("Air Liquide", 2),
    ("Loxam Location", 2), ("Total Énergies Pro", 2), ("Peintures Tollens", 2), ("Rexel", 2),
    ("Fastenal", 1), ("Manutan", 1), ("Transports Guilbaud", 1), ("Bureau Vallée", 1),
    ("Cabinet Expert-Comptable Roux", 1), ("Axa Assurances Pro", 1), ("Orange Business", 1),
    ("Sécurité Ouest Services", 1), ("Galvanisation Atlantique", 2), ("Soudure Pro 49", 1),
    ("Outillage Facom", 1), ("Emballages Cartonord", 1),
]

def fr_amount(cents):
    units, frac = divmod(cents, 100)
    s = f"{units:,}".replace(",", "\u00a0")
    return f"{s},{frac:02d}"

def fr_date(d):
    return d.strftime("%d/%m/%Y")

def weighted(items, weights):
    return rng.choices(items, weights=weights, k=1)[0]

# --- receivables: 150 invoices, issued from mid-September (open ledger) to February (planned billing)
rows = []
for i in range(150):
    name, delay, weight = weighted(customers, [c[2] for c in customers])
    issue = START + dt.timedelta(days=rng.randint(-60, 120))
    terms = rng.choice([30, 45, 45, 60, 60, 60])
    due = issue + dt.timedelta(days=terms)
    cents = int(rng.lognormvariate(8.75, 0.75) * 100)
    if name in ("Acme Industrie SA", "Vinci Construction Ouest") and rng.random() < 0.35:
        cents = int(cents * rng.uniform(3, 6))
    cents = max(cents, 18000)
    status = "Ouverte"
    if issue < START - dt.timedelta(days=40) and rng.random() < 0.25:
        status = "Réglée"
    if rng.random() < 0.02:
        status = "Litige"
    note = "prévisionnel" if issue > START else ""
    rows.append((issue, f"FA-{issue.year}-{1000 + i:05d}", name, issue, due, cents, status, note))
rows.sort()
with open(os.path.join(out, "receivables.csv"), "w", encoding="utf-8-sig", newline="") as f:
    f.write("Numéro;Client;Date;Échéance;Montant TTC;Devise;Statut;Commentaire\r\n")
    for _, num, name, issue, due, cents, status, note in rows:
        f.write(f"{num};{name};{fr_date(issue)};{fr_date(due)};{fr_amount(cents)};EUR;{status};{note}\r\n")

# --- payables: 120 invoices; steel arrives in big lots before the January peak
prow = []
for i in range(120):
    name, weight = weighted(suppliers, [s[1] for s in suppliers])
    issue = START + dt.timedelta(days=rng.randint(-50, 110))
    terms = rng.choice([30, 30, 45, 60])
    due = issue + dt.timedelta(days=terms)
    cents = int(rng.lognormvariate(7.6, 0.8) * 100)
    if name in ("Aciers du Nord", "ArcelorMittal Distribution"):
        cents = int(cents * rng.uniform(2.5, 4.5))
        if dt.date(2026, 11, 20) <= issue <= dt.date(2026, 12, 20):
            cents = int(cents * 1.8)
    cents = max(cents, 9000)
    discount = "2/10" if name in ("Aciers du Nord", "Würth France") and rng.random() < 0.5 else ""
    status = "paid" if issue < START - dt.timedelta(days=35) and rng.random() < 0.3 else "open"
    prow.append((issue, f"{name[:3].upper()}-{issue.strftime('%y%m')}-{100 + i}", name, issue, due, cents, status, discount))
prow.sort()
with open(os.path.join(out, "payables.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("id,counterparty,issue_date,due_date,amount,currency,status,discount\n")
    for _, num, name, issue, due, cents, status, disc in prow:
        f.write(f"{num},{name},{issue.isoformat()},{due.isoformat()},{cents // 100}.{cents % 100:02d},EUR,{status},{disc}\n")
print(f"wrote {len(rows)} receivables and {len(prow)} payables to {os.path.normpath(out)}")
