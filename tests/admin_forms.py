"""Reading the admin's forms as a browser would, to post them back."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea = [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append([name, attributes.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select" and name:
            self.fields.append([name, None])
        elif tag == "option" and self.fields and self.fields[-1][1] is None and "selected" in attributes:
            self.fields[-1][1] = attributes.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the line break that opens a textarea's content (Django writes one).
            self._textarea[1] = self._textarea[1].removeprefix("\n")
            self._textarea = None
