"""A fake font for text-setting tests: one face, exact and simple metrics.

- Han characters and full-width punctuation advance 1 em;
- pause/stop marks and closing marks (，。、；：？！”’）》」』】 ...) have their ink
  in the left half (0.1-0.4 em), opening marks (“‘（《「『【 ...) in the right
  half (0.6-0.9 em);
- ASCII letters, digits and punctuation advance 0.5 em, a space 0.25 em;
- — and … advance 1 em each with centred ink; everything else 1 em, centred.
"""
from __future__ import annotations

FACE = "fake"

LEFT_HALF = set("，。、；：？！”’）》」』】〕〗］｝〉")
RIGHT_HALF = set("“‘（《「『【〔〖［｛〈")


class FakeMetrics:
    """Implements layout.setting.Metrics."""

    def face_for(self, chain: tuple[str, ...], ch: str) -> str:
        return FACE

    def advance(self, face: str, ch: str) -> float:
        if ch == " ":
            return 0.25
        if ch.isascii():
            return 0.5
        return 1.0

    def ink(self, face: str, ch: str) -> tuple[float, float]:
        if ch in LEFT_HALF:
            return 0.1, 0.4
        if ch in RIGHT_HALF:
            return 0.6, 0.9
        if ch in "·":
            return 0.4, 0.6
        adv = self.advance(face, ch)
        return 0.05 * adv, 0.95 * adv


METRICS = FakeMetrics()
