def test_health_is_public(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_dashboard_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_member_sees_dashboard(member_client):
    response = member_client.get("/")
    assert response.status_code == 200
    assert b"Dashboard" in response.data
