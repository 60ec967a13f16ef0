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


class BoardReportForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="Réunion du conseil",
        queryset=BoardMeeting.objects.order_by("-date"),
        empty_label="Choisissez une réunion",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Choisissez la réunion du conseil pour laquelle produire le rapport.",
            "invalid_choice": "Cette réunion n’existe plus : choisissez-en une autre.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].label_from_instance = _meeting_label


def _meeting_label(meeting: BoardMeeting) -> str:
    from .templatetags.board_tags import long_date

    return f"{long_date(meeting.date)}{f' — {meeting.title}' if meeting.title else ''}"
