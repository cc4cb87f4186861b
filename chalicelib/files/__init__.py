"""Files of incident rooms: presigned uploads to S3 / MinIO, confirmation, thumbnails, downloads."""
