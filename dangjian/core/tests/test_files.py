"""The one size rule for uploads, and the abstract models apps build their file rows on."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core import files
from dangjian.core.models import Created, UploadedFile


def _upload(name="照片.jpg", size=10):
    upload = SimpleUploadedFile(name, b"x" * 10)
    upload.size = size
    return upload


def test_a_file_within_the_limit_passes():
    files.validate_upload(_upload(size=files.MAX_UPLOAD_BYTES))


def test_a_larger_file_is_an_error_on_the_named_field():
    with pytest.raises(ValidationError) as caught:
        files.validate_upload(_upload(size=files.MAX_UPLOAD_BYTES + 1), "photos")
    assert caught.value.message_dict == {"photos": ["附件“照片.jpg”超过20MB"]}


def test_too_many_files_at_once():
    with pytest.raises(ValidationError) as caught:
        files.validate_uploads([_upload() for _ in range(files.MAX_UPLOADS + 1)])
    assert caught.value.message_dict == {"attachments": ["一次最多上传10个附件"]}
    assert len(files.validate_uploads([_upload(), _upload()])) == 2
    assert files.validate_uploads(None) == []


def test_upload_name_keeps_the_extension():
    assert files.upload_name(_upload("甲" * 300 + ".pdf")).endswith(".pdf")
    assert len(files.upload_name(_upload("甲" * 300 + ".pdf"))) == files.NAME_LENGTH
    assert files.upload_name(object(), "照片") == "照片"


def test_abstract_bases_carry_the_shared_fields():
    assert UploadedFile._meta.abstract and Created._meta.abstract
    assert {f.name for f in UploadedFile._meta.get_fields()} >= {"file", "name", "size"}
    assert {f.name for f in Created._meta.get_fields()} == {"created_by", "created_at"}
    with pytest.raises(ValidationError):
        UploadedFile.from_upload.__func__(UploadedFile, _upload(size=files.MAX_UPLOAD_BYTES + 1))
