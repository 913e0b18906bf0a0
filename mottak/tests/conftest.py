import pytest


@pytest.fixture
def client(client):
    """The test client asks for English, so assertions read the English message ids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
