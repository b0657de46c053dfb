package flowlogs

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/network"
	"github.com/vpcemu/vpcemu/internal/flowlog"
)

// errAccess is AWS's deliverLogsErrorMessage when the destination cannot
// be written ("the IAM role associated with the flow log does not have
// sufficient permissions to publish").
const errAccess = "Access error"

// Deliver hands records to the flow logs that watch them: each record goes
// to every flow log of its interface, the interface's subnet and its VPC
// (in the interface owner's account and region) whose TrafficType keeps
// the record's action, rendered in that flow log's format. To CloudWatch
// Logs it is one event per record in the stream named after the interface,
// at the record's Start; to S3 one gzip file per flow log and call, with
// the format's header line. Records are delivered as given: the caller
// closes the aggregation windows.
//
// A destination that cannot be written marks its flow log FAILED ("Access
// error"), as AWS shows it, and one that takes the records SUCCESS;
// Deliver itself fails only when the store does.
func (s *Service) Deliver(ctx context.Context, records []flowlog.Record) error {
	if len(records) == 0 {
		return nil
	}
	where, err := s.locate(ctx, records)
	if err != nil {
		return err
	}
	byScope := map[cloud.Scope][]int{}
	for i := range records {
		if sc := where[i].scope; where[i].watched && sc.Account != "" && sc.Region != "" {
			byScope[sc] = append(byScope[sc], i)
		}
	}
	for sc, idx := range byScope {
		if err := s.deliverIn(ctx, sc, records, where, idx); err != nil {
			return err
		}
	}
	return nil
}

// place is where a record's interface is: its owner's scope and the
// resources whose flow logs watch it, and whether any flow log does (a
// record nothing watches costs no write transaction).
type place struct {
	scope     cloud.Scope
	resources []string // the interface, its subnet, its VPC
	watched   bool
}

// locate finds each record's interface; one gone since the record was
// made is placed by the record's own fields.
func (s *Service) locate(ctx context.Context, records []flowlog.Record) ([]place, error) {
	out := make([]place, len(records))
	err := s.ReadScopes(ctx, nil, func(t *cloud.Txn) error {
		seen := map[string]place{}
		for i, r := range records {
			p, ok := seen[r.Interface]
			if !ok {
				p = place{scope: cloud.Scope{Account: r.Account, Region: r.Region}, resources: nonEmpty(r.Interface, r.Subnet, r.VPC)}
				eni, err := cloud.GetAny[network.NetworkInterface](t, r.Interface)
				if err == nil {
					p = place{scope: eni.Scope(), resources: nonEmpty(eni.ID, eni.SubnetID, eni.VpcID)}
				} else if err := network.IgnoreNotFound(err); err != nil {
					return err
				}
				for _, res := range p.resources {
					watched, err := cloud.Exists(t, cloud.KindFlowLog, resourceKey(res))
					if err != nil {
						return err
					}
					p.watched = p.watched || watched
				}
				seen[r.Interface] = p
			}
			out[i] = p
		}
		return nil
	})
	return out, err
}

func nonEmpty(ids ...string) []string {
	return slices.DeleteFunc(ids, func(id string) bool { return id == "" })
}

// batch is what one flow log gets from one Deliver call.
type batch struct {
	flowLog *FlowLog
	lines   []line
}

// line is one rendered record.
type line struct {
	stream string // the interface
	at     time.Time
	text   string
	header string
}

// deliverIn delivers the records of one scope: to CloudWatch Logs in the
// transaction that notes each flow log's status, to S3 after it (files
// are not part of the store), noting the S3 flow logs' status then.
func (s *Service) deliverIn(ctx context.Context, sc cloud.Scope, records []flowlog.Record, where []place, idx []int) error {
	who := cloud.Caller{Account: sc.Account, Region: sc.Region}
	var files []*batch
	err := s.Update(ctx, who, func(t *cloud.Txn) error {
		files = nil // the store may run this again
		batches, err := collect(t, records, where, idx)
		if err != nil {
			return err
		}
		for _, b := range batches {
			switch b.flowLog.DestinationType {
			case DestinationCloudWatchLogs:
				if err := noteStatus(t, b.flowLog, deliverCWL(t, b)); err != nil {
					return err
				}
			case DestinationS3:
				files = append(files, b)
			}
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		return err
	}
	failed := map[string]error{}
	for _, b := range files {
		failed[b.flowLog.ID] = s.writeS3(b)
	}
	return s.Update(ctx, who, func(t *cloud.Txn) error {
		for id, werr := range failed {
			f, err := cloud.GetIn[FlowLog](t, id)
			if err != nil {
				if network.IgnoreNotFound(err) == nil {
					continue // deleted meanwhile
				}
				return err
			}
			if err := noteStatus(t, f, werr); err != nil {
				return err
			}
		}
		return nil
	})
}

// collect renders the records for each flow log that keeps them, in the
// order of the flow logs' ids.
func collect(t *cloud.Txn, records []flowlog.Record, where []place, idx []int) ([]*batch, error) {
	watching := map[string][]*FlowLog{} // by resource id
	formats := map[string]*flowlog.Format{}
	batches := map[string]*batch{}
	for _, i := range idx {
		r := &records[i]
		for _, res := range where[i].resources {
			fls, ok := watching[res]
			if !ok {
				var err error
				if fls, err = cloud.FindIn[FlowLog](t, resourceKey(res)); err != nil {
					return nil, err
				}
				watching[res] = fls
			}
			for _, f := range fls {
				if f.Status() != StatusActive || !f.Keeps(r.Action) {
					continue
				}
				fm := formats[f.ID]
				if fm == nil {
					var err error
					if fm, err = f.Format(); err != nil {
						return nil, fmt.Errorf("flow log %s: %w", f.ID, err)
					}
					formats[f.ID] = fm
				}
				b := batches[f.ID]
				if b == nil {
					b = &batch{flowLog: f}
					batches[f.ID] = b
				}
				b.lines = append(b.lines, line{stream: r.Interface, at: r.Start, text: fm.Render(r), header: fm.Header()})
			}
		}
	}
	out := make([]*batch, 0, len(batches))
	for _, b := range batches {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b *batch) int { return cmp.Compare(a.flowLog.ID, b.flowLog.ID) })
	return out, nil
}

// deliverCWL puts a batch's events in the flow log's log group, one
// stream per interface, in time order.
func deliverCWL(t *cloud.Txn, b *batch) error {
	group, ok := logGroupOf(b.flowLog.Destination)
	if !ok {
		group = logGroup{b.flowLog.Owner, b.flowLog.Region, b.flowLog.LogGroupName}
	}
	streams := map[string][]cloud.LogEvent{}
	for _, l := range b.lines {
		at := l.at
		if at.IsZero() {
			at = t.Now
		}
		streams[l.stream] = append(streams[l.stream], cloud.LogEvent{Time: at, Message: l.text})
	}
	for _, stream := range slices.Sorted(maps.Keys(streams)) {
		events := streams[stream]
		slices.SortStableFunc(events, func(a, b cloud.LogEvent) int { return a.Time.Compare(b.Time) })
		if err := cloud.DeliverLogEvents(t, group.account, group.region, group.name, stream, events); err != nil {
			return err
		}
	}
	return nil
}

// noteStatus records how a delivery went, writing only a change.
func noteStatus(t *cloud.Txn, f *FlowLog, err error) error {
	status, msg := DeliverOK, ""
	if err != nil {
		status, msg = DeliverFailed, errAccess
	}
	if f.DeliverStatus == status && f.DeliverError == msg {
		return nil
	}
	f.DeliverStatus, f.DeliverError = status, msg
	return cloud.Put(t, f)
}

// writeS3 writes a batch as one gzip object: the header line, then one
// line per record.
func (s *Service) writeS3(b *batch) error {
	if s.s3Dir == "" {
		return errNoS3Dir
	}
	key, err := objectKey(b)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintln(zw, b.lines[0].header)
	for _, l := range b.lines {
		fmt.Fprintln(zw, l.text)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	path := filepath.Join(s.s3Dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// objectKey is where AWS puts a flow log file: bucket/prefix, then
// AWSLogs/{account}/vpcflowlogs/{region}/yyyy/MM/dd/ (hive-compatible
// and per-hour when the destination options ask), then
// {account}_vpcflowlogs_{region}_{flow log id}_{yyyyMMddTHHmmZ}_{hash}.log.gz.
// The time is the start of the five-minute period of the first record.
func objectKey(b *batch) (string, error) {
	f := b.flowLog
	bucket, prefix, ok := bucketOf(f.Destination)
	if !ok {
		return "", fmt.Errorf("flow log %s: bad S3 destination %q", f.ID, f.Destination)
	}
	at := b.lines[0].at
	for _, l := range b.lines {
		if !l.at.IsZero() && (at.IsZero() || l.at.Before(at)) {
			at = l.at
		}
	}
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC().Truncate(5 * time.Minute)
	var hive, hourly bool
	if o := f.DestinationOptions; o != nil {
		hive, hourly = o.HiveCompatiblePartitions != nil && *o.HiveCompatiblePartitions, o.PerHourPartition != nil && *o.PerHourPartition
	}
	dir := fmt.Sprintf("AWSLogs/%s/vpcflowlogs/%s/%s/", f.Owner, f.Region, at.Format("2006/01/02"))
	if hive {
		dir = fmt.Sprintf("AWSLogs/aws-account-id=%s/aws-service=vpcflowlogs/aws-region=%s/year=%s/month=%s/day=%s/",
			f.Owner, f.Region, at.Format("2006"), at.Format("01"), at.Format("02"))
	}
	if hourly {
		if hive {
			dir += "hour=" + at.Format("15") + "/"
		} else {
			dir += at.Format("15") + "/"
		}
	}
	var h [4]byte
	rand.Read(h[:])
	name := fmt.Sprintf("%s_vpcflowlogs_%s_%s_%s_%s.log.gz", f.Owner, f.Region, f.ID, at.Format("20060102T1504Z"), hex.EncodeToString(h[:]))
	return bucket + "/" + prefix + dir + name, nil
}
