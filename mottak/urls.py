app_name = "mottak"
urlpatterns: list = []
