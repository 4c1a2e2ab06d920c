using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Tests.Encoding;

namespace WebConsole.Tests.Sources;

[Collection(AllocationTestGroup.Name)]
public sealed class SourceAllocationTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void XwdPoll_StaticAndChanging_AllocatesNothing(int depth)
    {
        using var temp = new TempXwd("alloc");
        XwdFile file = depth == 24 ? XwdFile.Depth24(256, 128) : XwdFile.Depth16(256, 128);
        file.WriteTo(temp.Path);
        using var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.Write);
        using var source = new XwdSource(temp.Path, null, TimeProvider.System, NullLogger<XwdSource>.Instance);
        long allocated = 0;
        int changed = 0;
        for (int i = 0; i < 60; i++)
        {
            if (i % 2 == 0)
            {
                // Change one row in place, as Xvfb draws.
                stream.Position = file.PixelOffset + (i % 128) * file.BytesPerLine;
                stream.WriteByte((byte)i);
                stream.Flush();
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            RegionChange change = source.Poll();
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (i >= 5)
            {
                allocated += after - before;
            }
            changed += (change & RegionChange.Pixels) != 0 ? 1 : 0;
        }
        Assert.Equal(0, allocated);
        Assert.Equal(30, changed);
    }

    [Fact]
    public void XwdShmPoll_StaticAndChanging_AllocatesNothing()
    {
        XwdFile file = XwdFile.Depth24(256, 128);
        byte[] bytes = file.ToBytes();
        using var segment = new SysVSegment(bytes.Length);
        bytes.CopyTo(segment.Bytes);
        using var source = new XwdSource(
            new XwdShmStore(new XwdShmTarget(null, 0, segment.Id), TimeProvider.System), null, TimeProvider.System, NullLogger<XwdSource>.Instance);
        long allocated = 0;
        int changed = 0;
        for (int i = 0; i < 60; i++)
        {
            if (i % 2 == 0)
            {
                // Change one row in place, as Xvfb draws.
                segment.Bytes[file.PixelOffset + (i % 128) * file.BytesPerLine] = (byte)(i + 1);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            RegionChange change = source.Poll();
            long after = GC.GetAllocatedBytesForCurrentThread();
            if (i >= 5)
            {
                allocated += after - before;
            }
            changed += (change & RegionChange.Pixels) != 0 ? 1 : 0;
        }
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal(0, allocated);
        Assert.Equal(30, changed);
    }
}
