"""Peer challenge models, one module per noun; import them from here."""

from .challenges import Challenge, ChallengeStatus
from .cycles import Cycle, CycleKind, CycleStatus, FrameworkQuestion, Remainder
from .findings import Finding, FindingKind, FindingStatus
from .moderation import ModerationComment, ModeratorAssignment
from .notices import Notice, NoticeOccasion
from .self_assessments import (
    EvidenceFile,
    SelfAssessment,
    SelfAssessmentSection,
    SelfAssessmentStatus,
)
from .triads import ConstraintKind, PairingConstraint, Triad, TriadMember

__all__ = [
    "Challenge",
    "ChallengeStatus",
    "ConstraintKind",
    "Cycle",
    "CycleKind",
    "CycleStatus",
    "EvidenceFile",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "FrameworkQuestion",
    "ModerationComment",
    "ModeratorAssignment",
    "Notice",
    "NoticeOccasion",
    "PairingConstraint",
    "Remainder",
    "SelfAssessment",
    "SelfAssessmentSection",
    "SelfAssessmentStatus",
    "Triad",
    "TriadMember",
]
