def test_missing_page_is_a_translated_404_in_the_site_layout(client, home_page):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/static/css/feria.css"' in html
