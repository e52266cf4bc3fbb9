"""Synthetic demo data for CareCase: a Leicester-like council at small, city or county scale.

Everything here is invented. Names come from the tables in `names.py`; addresses use real Leicester and
Leicestershire street names with made-up house numbers and postcode units; NHS numbers are drawn from the
range the NHS keeps for testing (999 ...); phone numbers from Ofcom's ranges reserved for drama
(0116 496 0xxx, 07700 900xxx). Run it with `manage.py seed_demo --profile small|leicester|county`.
"""
