"""Stop reading an uploaded file as soon as it passes the size limit.

Django would otherwise stream a huge upload to a temporary file before any form could refuse
it. Views that take files add this handler first; because upload handlers must be set before
the request body is read, those views are csrf_exempt on the outside and csrf_protect inside
(the pattern Django's documentation gives for changing upload handlers).
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            # Keep the connection: the rest of the body is read and discarded, so the user
            # gets a page explaining the limit rather than a reset connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

    @property
    def message(self) -> str:
        return f"The file is larger than the limit of {human_size(self.limit)}; nothing was saved."


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.0f} MB"
    return f"{size // 1024} KB"


def limit_uploads(request, limit: int) -> SizeLimitUploadHandler:
    handler = SizeLimitUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return handler
