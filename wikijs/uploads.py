"""Uploaded archive files laid out as a tree the importer can read."""

import zipfile
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

MAX_ARCHIVE_FILES = 20_000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [
            super(MultipleFileField, self).clean(file, initial) for file in files if file
        ] or super().clean(None, initial)


def _safe_relative(name, label):
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValidationError(
            gettext("%(label)s：“%(name)s” 指向压缩包之外。") % {"label": label, "name": name}
        )
    return path


class WikiUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("文件"),
        help_text=_("一个或多个 .md 页面，或整个 Wiki 目录打包成的 .zip。"),
    )
    folder = forms.CharField(
        label=_("放在哪个目录"),
        required=False,
        help_text=_(
            "单独上传的 .md 页面在 Wiki 中所在的目录，如 business 或 main/201-300；.zip 按包内的目录导入。"
        ),
    )
    dry_run = forms.BooleanField(label=_("只检查，不写入"), required=False)
    overwrite = forms.BooleanField(label=_("覆盖在管理后台改过的内容"), required=False)

    def clean_folder(self):
        folder = self.cleaned_data["folder"].strip().strip("/")
        return str(_safe_relative(folder, pgettext("folder", "目录"))) if folder else ""

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if not upload.name.lower().endswith((".md", ".zip")):
                raise ValidationError(
                    gettext("%(name)s：只能上传 .md 或 .zip 文件。") % {"name": upload.name}
                )
        return files

    def write_tree(self, root):
        """Lay the uploads out under `root` as they sit in the wiki."""
        folder = root / self.cleaned_data["folder"]
        for upload in self.cleaned_data["files"]:
            if upload.name.lower().endswith(".zip"):
                _extract(upload, root)
            else:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / PurePosixPath(upload.name).name).write_bytes(upload.read())


def _extract(upload, root):
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise ValidationError(gettext("%(name)s：不是有效的 .zip 文件。") % {"name": upload.name}) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".md")]
        if len(members) > MAX_ARCHIVE_FILES or sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
            raise ValidationError(gettext("%(name)s：文件太多或太大。") % {"name": upload.name})
        for member in members:
            target = root / _safe_relative(member.filename, upload.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
