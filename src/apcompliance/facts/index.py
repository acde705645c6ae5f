"""A case's records indexed once per evaluation: by kind, and by the value of a field.

Looking a record up by its kind and a reference (`placement`, `about`, `provider`, `id`) or a
date would otherwise scan every record of the kind for each look-up, which makes a long history
(thousands of absences) quadratic. `CaseIndex` groups the records by kind when it is made and
builds the index of a field the first time it is asked for; every look-up keeps the records'
order. The judge indexes the engine facts (kind: the fact type), derive the case's events
(kind: the event kind).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from heapq import merge
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_NOTHING: tuple[Any, ...] = ()


class _FieldIndex(Generic[T]):
    """The records of one kind by the value of one field: `equal[value]`, and the records
    whose value is not recorded (None) or is a tuple or unhashable (`unset`), each with its
    position among the kind's records."""

    def __init__(self, records: Sequence[T], field: str) -> None:
        self.equal: dict[Any, list[tuple[int, T]]] = {}
        self.unset: list[tuple[int, T]] = []
        for position, record in enumerate(records):
            got = getattr(record, field, None)
            if got is None or isinstance(got, tuple):
                self.unset.append((position, record))
                continue
            try:
                self.equal.setdefault(got, []).append((position, record))
            except TypeError:  # unhashable: compared one by one by whoever asks
                self.unset.append((position, record))


class CaseIndex(Mapping[str, Sequence[T]]):
    """Records grouped by kind (`index["absence"]`, in the order given), with look-ups by a
    field's value. A Mapping, so it stands wherever the records by kind are read."""

    def __init__(self, records: Iterable[T], kind: Callable[[T], str]) -> None:
        grouped: dict[str, list[T]] = {}
        for record in records:
            grouped.setdefault(kind(record), []).append(record)
        self._by_kind: dict[str, tuple[T, ...]] = {k: tuple(v) for k, v in grouped.items()}
        self._fields: dict[tuple[str, str], _FieldIndex[T]] = {}
        self._ids: dict[Any, T] | None = None
        self.lookups = 0
        """How many look-ups by a field's value were made (the tests count them)."""

    def __getitem__(self, kind: str) -> Sequence[T]:
        return self._by_kind[kind]

    def get(self, kind: str, default: Any = None) -> Any:
        """The records of `kind`, or `default` where the case has none (as a dict's `get`,
        without the Mapping mixin's exception on every kind the case lacks)."""
        return self._by_kind.get(kind, default)

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_kind)

    def __len__(self) -> int:
        return len(self._by_kind)

    def with_id(self, id: str) -> T | None:
        """The record with this `id`, of whatever kind (a case's ids are unique)."""
        if self._ids is None:
            self._ids = {}
            for records in self._by_kind.values():
                for record in records:
                    self._ids.setdefault(getattr(record, "id", None), record)
        return self._ids.get(id)

    def _field(self, kind: str, field: str) -> _FieldIndex[T]:
        key = (kind, field)
        index = self._fields.get(key)
        if index is None:
            index = self._fields[key] = _FieldIndex(self._by_kind.get(kind, _NOTHING), field)
        return index

    def where(self, kind: str, field: str, value: Any) -> list[T]:
        """The records of `kind` whose `field` equals `value` (==), in order."""
        self.lookups += 1
        try:
            found = self._field(kind, field).equal.get(value, [])
        except TypeError:  # an unhashable value equals no hashable one
            found = []
        return [record for _, record in found]

    def where_or_unset(self, kind: str, field: str, values: Iterable[Any]) -> list[T]:
        """The records of `kind` whose `field` equals one of `values`, and those whose `field`
        is not set (None), a tuple or unhashable, in order: every record a test of the field
        against those values might not rule out."""
        self.lookups += 1
        index = self._field(kind, field)
        groups = [index.unset]
        for value in dict.fromkeys(values):
            try:
                groups.append(index.equal.get(value, []))
            except TypeError:
                continue
        groups = [g for g in groups if g]
        if len(groups) == 1:
            return [record for _, record in groups[0]]
        return [record for _, record in merge(*groups, key=lambda e: e[0])]

    def count(self, kind: str, field: str, values: Iterable[Any]) -> int:
        """How many records `where_or_unset` would give (without building them)."""
        index = self._field(kind, field)
        total = len(index.unset)
        for value in dict.fromkeys(values):
            try:
                total += len(index.equal.get(value, ()))
            except TypeError:
                continue
        return total
