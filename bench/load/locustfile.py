"""Agency staff at work (issue 16): each simulated person logs in through the form, then
loops over home, the activity list, the activity form, saving an activity with two
contributions, its page and the commune's page, with 1–3 s between clicks.

Run by bench/load/run.py (which creates the accounts and starts gunicorn); by hand:
    LOAD_USERS=50 uv run --group bench locust -f bench/load/locustfile.py --headless \\
        -H http://127.0.0.1:8100 -u 50 -r 5 -t 60s
"""

import itertools
import os
import re
import uuid

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "tai-thu-2026")
ACCOUNTS = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _first_option(html: str, select_id: str) -> str:
    block = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.search(r'<option value="(\d+)"', block).group(1)


class AgencyStaff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.username = f"taithu{next(ACCOUNTS) % int(os.environ.get('LOAD_USERS', 200))}"
        page = self.client.get("/accounts/login/", name="login form").text
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": CSRF.search(page).group(1), "username": self.username,
             "password": PASSWORD},
            headers={"Referer": f"{self.host}/accounts/login/"}, name="login",
        )  # fmt: skip
        self.commune_url = None

    @task
    def round_of_work(self):
        self.client.get("/", name="home")
        self.client.get("/activities/", name="activity list")
        form = self.client.get("/activities/new/", name="activity form").text
        assignment = _first_option(form, "id_assignment")
        category = _first_option(form, "id_category")
        data = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "assignment": assignment, "start_date": "2026-11-20", "category": category,
            "title": "Trao quà cho hộ nghèo (thử tải)", "beneficiaries_count": "10",
            "version": "0", "submission_token": str(uuid.uuid4()),
            "c-TOTAL_FORMS": "2", "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0",
            "c-MAX_NUM_FORMS": "1000",
            "c-0-kind": "cash", "c-0-value": "5.000.000", "c-0-source": "budget",
            "c-1-kind": "cash", "c-1-value": "2.500.000", "c-1-source": "staff",
        }  # fmt: skip
        with self.client.post(
            "/activities/new/", data, name="save activity", allow_redirects=False,
            headers={"Referer": f"{self.host}/activities/new/"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"not saved: {response.status_code}")
                return
            activity_url = response.headers["Location"]
        page = self.client.get(activity_url, name="activity page").text
        if self.commune_url is None:
            found = re.search(r'href="(/communes/\d+/)"', page)
            self.commune_url = found.group(1) if found else "/my-communes/"
        self.client.get(self.commune_url, name="commune page")
