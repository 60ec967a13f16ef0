import datetime

from django import forms
from django.utils import timezone

from .models import BoardMeeting


class SinceForm(forms.Form):
    since = forms.DateField(label="Depuis le", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError("Choisissez une date passée.")
        if since < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Choisissez une date après le 1er janvier 2000.")
        return since


class BoardMeetingForm(forms.ModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["date", "title"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
