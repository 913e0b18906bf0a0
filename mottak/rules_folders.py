"""Pure rules of the personal folder and the private folder (MOT-2). No database access."""

import re

# Never in the personal folder: personal documents and health information (MOT-2). The
# prescriptions and medical summonses the seed names for the private folder are health papers.
PERSONAL_FOLDER_REFUSED = frozenset(
    {"personal_document", "health", "prescription", "medical_summons"}
)

# Words in a description that point at health information or a personal document: the
# description of an item in the personal folder must not carry them either.
_REFUSED_WORDS = re.compile(
    r"\b(helse|lege|resept|medisin|diagnos|sykehus|psykolog|tannleg|vaksin|journal|"
    r"legitimasjon|fødselsattest|pass|passport|health|doctor|prescript|medic|hospital|"
    r"birth certificate)\w*",
    re.IGNORECASE,
)

CHILD_WELFARE_LEAD = "child_welfare_lead"
CENTRE_LEADER = "centre_leader"
PRIVATE_FOLDER_ROLES = frozenset({CHILD_WELFARE_LEAD, CENTRE_LEADER})


def personal_folder_problems(*, category: str, description: str) -> list[str]:
    """MOT-2: what keeps an item out of the personal folder; empty when it may go in."""
    if category in PERSONAL_FOLDER_REFUSED:
        return ["refused_category"]
    if _REFUSED_WORDS.search(description or ""):
        return ["refused_words"]
    return []


def may_open_private_folder(*, role: str, is_key_worker: bool) -> bool:
    """Narrower than the record (MOT-2): the child-welfare lead, the centre leader, and the
    resident's named key workers — not every member of staff, and not the administrators."""
    return role in PRIVATE_FOLDER_ROLES or is_key_worker


def may_assign_key_workers(*, role: str) -> bool:
    return role in PRIVATE_FOLDER_ROLES
