"""The directory: departments, their reviewers and the admins."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from storage.base import Repository
from storage.integrity import checked_department
from storage.models import Admin, Department, Reviewer

departments = Department.__table__
reviewers = Reviewer.__table__
admins = Admin.__table__


class DirectoryRepository(Repository):
    def departments(self) -> list[tuple[str, str, str]]:
        """(id, French name, English name) in directory order."""
        rows = self.connection.execute(
            select(departments.c.id, departments.c.name_fr, departments.c.name_en).order_by(
                departments.c.position, departments.c.id
            )
        )
        return [checked_department(tuple(row)) for row in rows]

    def put_department(self, department_id: str, name_fr: str, name_en: str) -> bool:
        """Add a department or rename it; True when it is new."""
        exists = self.connection.execute(
            select(departments.c.id).where(departments.c.id == department_id)
        ).first()
        if exists:
            self.connection.execute(
                update(departments)
                .where(departments.c.id == department_id)
                .values(name_fr=name_fr, name_en=name_en)
            )
            return False
        position = self.connection.execute(
            select(func.coalesce(func.max(departments.c.position), 0))
        ).scalar()
        self.connection.execute(
            insert(departments).values(
                id=department_id, name_fr=name_fr, name_en=name_en, position=position + 1
            )
        )
        return True

    def reviewers(self) -> dict[str, list[str]]:
        rows = self.connection.execute(
            select(reviewers.c.department_id, reviewers.c.reviewer).order_by(
                reviewers.c.department_id, reviewers.c.reviewer
            )
        )
        found: dict[str, list[str]] = {}
        for department_id, reviewer in rows:
            found.setdefault(department_id, []).append(reviewer)
        return found

    def add_reviewer(self, department_id: str, reviewer: str) -> bool:
        exists = self.connection.execute(
            select(reviewers.c.reviewer).where(
                reviewers.c.department_id == department_id, reviewers.c.reviewer == reviewer
            )
        ).first()
        if not exists:
            self.connection.execute(
                insert(reviewers).values(department_id=department_id, reviewer=reviewer)
            )
        return not exists

    def remove_reviewer(self, department_id: str, reviewer: str) -> bool:
        result = self.connection.execute(
            delete(reviewers).where(
                reviewers.c.department_id == department_id, reviewers.c.reviewer == reviewer
            )
        )
        return result.rowcount > 0

    def admins(self) -> list[str]:
        return list(
            self.connection.execute(select(admins.c.member).order_by(admins.c.member)).scalars()
        )

    def add_admin(self, member: str) -> bool:
        exists = self.connection.execute(
            select(admins.c.member).where(admins.c.member == member)
        ).first()
        if not exists:
            self.connection.execute(insert(admins).values(member=member))
        return not exists

    def remove_admin(self, member: str) -> bool:
        result = self.connection.execute(delete(admins).where(admins.c.member == member))
        return result.rowcount > 0
