from .episode import RE_REFERRAL_WINDOW_DAYS, Episode, EpisodeStatus
from .family import CaseNote, Family, FamilyMembership, NoteType, Relationship, RelationshipType
from .merge import PersonMerge
from .person import (
    SEND,
    Ethnicity,
    NameType,
    Person,
    PersonAddress,
    PersonName,
    PersonSearchKey,
    RecordType,
    Sex,
)

__all__ = [
    "CaseNote",
    "Episode",
    "EpisodeStatus",
    "RE_REFERRAL_WINDOW_DAYS",
    "Ethnicity",
    "Family",
    "FamilyMembership",
    "NameType",
    "NoteType",
    "Person",
    "PersonAddress",
    "PersonMerge",
    "PersonName",
    "PersonSearchKey",
    "RecordType",
    "Relationship",
    "RelationshipType",
    "SEND",
    "Sex",
]
