from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("map/", views.country_map, name="country_map"),
    path("embed/map/", views.embed_country_map, name="embed_country_map"),
]
