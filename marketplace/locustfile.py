"""Simulated people for the mixed-load test (marketplace/loadtest.py starts Locust with this file).

Runs inside Locust's own process, not Django's: everything it needs comes from the cast file
that the load test writes (LOAD_CAST): session cookies of prepared accounts and, for each one,
the things only that person may act on (projects to bid on, bids to award, milestones to fund,
conversations). Each simulated person takes the next account of their role, so no two act on
the same thing. Every request is named "view: …" (a page a person reads) or "act: …" (a form
they send); each answer's time and outcome go to LOAD_SAMPLES when the run ends.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task

CAST: dict[str, Any] = json.loads(open(os.environ["LOAD_CAST"], encoding="utf-8").read())  # noqa: SIM115
SAMPLES: list[tuple[str, float, bool]] = []
NEXT = {role: itertools.count() for role in ("client", "expert", "staff")}
WORDS = ["mould", "design", "translation", "software", "logo", "tooling", "training", "app"]
CARD = "4242424242424242"  # the demo gateway's card that succeeds
CHECKOUT = re.compile(r"/money/demo-checkout/[^/\"']+/")
PENDING_ID = re.compile(r'name="_selected_action" value="(\d+)"')


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    SAMPLES.append((name, response_time, exception is not None))


@events.quitting.add_listener
def _dump(**_: Any) -> None:
    with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as handle:
        json.dump(SAMPLES, handle)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self) -> None:
        self.me: dict[str, Any] = {}
        if self.role:
            people = CAST[self.role]
            self.me = people[next(NEXT[self.role]) % len(people)]
            self.client.cookies.set(CAST["session_cookie"], self.me["session"])
            self.client.cookies.set("csrftoken", CAST["csrf_token"])

    def view(self, name: str, path: str) -> str:
        with self.client.get(path, name=f"view: {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            return response.text or ""

    def act(self, name: str, path: str, data: dict[str, Any]) -> str:
        """POST a form as a browser does; a success redirects (post/redirect/get)."""
        form = {"csrfmiddlewaretoken": CAST["csrf_token"], **data}
        headers = {"Referer": f"{self.host}{path}"}
        with self.client.post(
            path,
            data=form,
            name=f"act: {name}",
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{path} answered {response.status_code}")
                return ""
            return response.headers.get("Location", "")

    def search_projects(self) -> None:
        self.view("Find a Project, words", f"/projects/?q={random.choice(WORDS)}")

    def some_project(self) -> None:
        self.view("project page", f"/projects/{random.choice(CAST['open_projects'])}/")


class Visitor(Person):
    """Anonymous: browses, searches, reads projects and profiles."""

    weight = 4

    @task(3)
    def home(self) -> None:
        self.view("home", "/")

    @task(4)
    def find_project(self) -> None:
        self.search_projects()

    @task(2)
    def find_project_filtered(self) -> None:
        self.view("Find a Project, filters", f"/projects/?category={CAST['category']}&sort=newest")

    @task(4)
    def project(self) -> None:
        self.some_project()

    @task(2)
    def find_freelancer(self) -> None:
        self.view("Find a Freelancer", f"/projects/experts/search/?q={random.choice(WORDS)}")

    @task(2)
    def expert_profile(self) -> None:
        self.view("expert profile", f"/experts/{random.choice(CAST['expert_ids'])}/")

    @task(1)
    def services(self) -> None:
        self.view("Services", "/services/")


class Expert(Person):
    """Searches with their skills, reads projects, bids, answers messages, checks the balance."""

    weight = 3
    role = "expert"

    @task(2)
    def dashboard(self) -> None:
        self.view("dashboard", "/dashboard/")

    @task(3)
    def best_match(self) -> None:
        self.view("Find a Project, best match", "/projects/")

    @task(2)
    def search(self) -> None:
        self.search_projects()

    @task(2)
    def project(self) -> None:
        self.some_project()

    @task(2)
    def bid(self) -> None:
        if not self.me["bid_on"]:
            self.view("my bids", "/bids/mine/")
            return
        project = self.me["bid_on"].pop()
        self.view("bid form", f"/bids/project/{project}/bid/")
        self.act(
            "place a bid",
            f"/bids/project/{project}/bid/",
            {
                "amount": "900.00",
                "days": "12",
                "proposal": "I have built many of these; three weeks, two steps.",
                "milestones-TOTAL_FORMS": "1",
                "milestones-INITIAL_FORMS": "0",
                "milestones-MIN_NUM_FORMS": "0",
                "milestones-MAX_NUM_FORMS": "20",
                "milestones-0-title": "All of it",
                "milestones-0-amount": "900.00",
                "milestones-0-due_in_days": "12",
            },
        )

    @task(3)
    def message(self) -> None:
        conversation = random.choice(self.me["conversations"])
        self.view("conversation", f"/messages/{conversation}/")
        self.act(
            "send a message",
            f"/messages/{conversation}/send/",
            {"body": "Thanks, I can start on Monday. Do you have drawings?"},
        )

    @task(1)
    def balance(self) -> None:
        self.view("Balance", "/money/")


class Client(Person):
    """Posts projects, reads bids, awards, and funds milestones by card (the demo gateway)."""

    weight = 2
    role = "client"

    @task(2)
    def dashboard(self) -> None:
        self.view("dashboard", "/dashboard/")

    @task(1)
    def my_projects(self) -> None:
        self.view("my projects", "/projects/mine/")

    @task(2)
    def post_project(self) -> None:
        self.view("Post a Project form", "/projects/post/")
        self.act(
            "Post a Project",
            "/projects/post/",
            {
                "title": "Injection mould for a housing",
                "description": "Two-cavity mould for a small ABS housing, drawings attached.",
                "category": CAST["category"],
                "skills": CAST["skills"][:2],
                "expertise_level": "intermediate",
                "budget_type": "fixed",
                "budget_min": "1500.00",
                "location_type": "remote",
                "payment_model": "milestones",
                "source": "card",  # how upgrades would be paid: the form's default
                "action": "publish",
            },
        )

    @task(2)
    def bids(self) -> None:
        self.view("bids on my project", f"/bids/project/{random.choice(self.me['projects'])}/")

    @task(1)
    def award(self) -> None:
        if not self.me["award"]:
            return
        bid = self.me["award"].pop()
        self.view("bid", f"/bids/{bid}/")
        self.act("Award", f"/bids/{bid}/award/", {})

    @task(2)
    def fund(self) -> None:
        if not self.me["fund"]:
            self.view("Balance", "/money/")
            return
        path = self.me["fund"].pop()
        self.view("Start: payment page", path)
        checkout = CHECKOUT.search(self.act("Start: pay by card", path, {"source": "card"}))
        if checkout is None:
            return
        self.view("demo card page", checkout.group(0))
        back = self.act("pay with the demo card", checkout.group(0), {"card_number": CARD})
        if back:
            self.view("payment result", re.sub(r"^https?://[^/]+", "", back))


class Staff(Person):
    """Approves posted projects from the admin."""

    fixed_count = 2
    role = "staff"

    @task(1)
    def admin_home(self) -> None:
        self.view("admin home", "/admin/")

    @task(3)
    def approve(self) -> None:
        queue = "/admin/projects/project/?status__exact=pending_approval"
        pending = PENDING_ID.findall(self.view("admin: projects pending approval", queue))
        if pending:
            self.act(
                "admin: approve a project",
                queue,
                {"action": "approve", "_selected_action": random.choice(pending), "index": "0"},
            )
