"""The interface speaks Norwegian Bokmål by default and English on request; the catalogue is complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def anonymous():
    return Client()  # no Accept-Language header, no language cookie


def test_login_page_is_norwegian_by_default(anonymous, db):
    content = anonymous.get("/login/").content.decode()
    assert '<html lang="nb">' in content
    assert "Logg inn" in content
    assert "Brukernavn" in content
    assert "Passord" in content
    assert "Username" not in content


def test_login_page_in_english_when_the_browser_asks_for_it(db):
    content = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content
    assert "Username" in content
    assert "Brukernavn" not in content


def test_login_page_in_english_when_the_language_cookie_says_so(anonymous, db):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = anonymous.get("/login/").content.decode()
    assert "Username" in content
    assert "Brukernavn" not in content


def test_failed_login_message_is_norwegian(anonymous, staff):
    response = anonymous.post("/login/", {"username": staff.username, "password": "wrong"})
    assert "Brukernavnet eller passordet er feil" in response.content.decode()


def test_pages_after_login_are_norwegian(anonymous, staff, resident):
    anonymous.force_login(staff)
    home = anonymous.get("/").content.decode()
    assert "Beboere" in home
    assert "Logg ut" in home
    detail = anonymous.get(f"/beboere/{resident.pk}/").content.decode()
    assert "Fødselsdato" in detail
    assert "Opphold" in detail


def test_language_switcher_names_each_language_in_itself(anonymous, db):
    for language in ("nb", "en"):
        anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        content = anonymous.get("/login/").content.decode()
        assert re.search(r'<option value="nb"[^>]*>Norsk \(bokmål\)</option>', content)
        assert re.search(r'<option value="en"[^>]*>English</option>', content)


def parse_catalogue(text: str) -> list[dict]:
    """Entries of a .po file as {'flags': [...], 'msgid': str, 'msgstr': [str, ...]}."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry = {"flags": [], "msgid": None, "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                current, entry["msgid"] = "msgid", line[6:].strip('"')
            elif line.startswith("msgid_plural "):
                current = "plural"
            elif line.startswith("msgstr"):
                current = "msgstr"
                entry["msgstr"].append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"'):
                if current == "msgid":
                    entry["msgid"] += line.strip('"')
                elif current == "msgstr":
                    entry["msgstr"][-1] += line.strip('"')
        entries.append(entry)
    return entries


def test_catalogue_is_complete():
    header, *entries = parse_catalogue(CATALOGUE.read_text(encoding="utf-8"))
    assert "Language: nb\\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []


def test_no_app_has_its_own_catalogue():
    base = Path(settings.BASE_DIR)
    own = [
        path
        for path in base.glob("*/locale")
        if path.is_dir() and path.parent.name not in {".venv", "var"}
    ]
    assert own == []
    assert settings.LOCALE_PATHS == [base / "locale"]
