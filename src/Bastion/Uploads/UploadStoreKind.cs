namespace Bastion.Uploads;

/// <summary>Where validated files are kept (<c>Bastion:Uploads:Store</c>).</summary>
public enum UploadStoreKind
{
    /// <summary>Files under <see cref="UploadOptions.StorageDirectory"/> on this node's disk.</summary>
    Directory,

    /// <summary>Rows of the <c>upload_blobs</c> table in Bastion's database, shared by every node.</summary>
    Database,
}
