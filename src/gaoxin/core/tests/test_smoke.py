from gaoxin.registry.tests.factories import person


def test_person_list_is_masked_and_zone_bound(zone_a, zone_b, make_user, api_client):
    mine = person(zone_a, name="冯立松")
    person(zone_b, name="李四")
    officer = make_user("officer", zone_a)
    resp = api_client.as_user(officer).get("people", q="fls")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk
    assert "*" in body["items"][0]["id_number"]
