package logs

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	cwl "github.com/vpcemu/vpcemu/internal/cloud/logs"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// PutLogEvents implements logsapi.Handler. The sequence token is taken and
// not checked, as CloudWatch Logs now does.
func (s *Service) PutLogEvents(ctx context.Context, req *awsproto.Request, in *logsapi.PutLogEventsInput) (*logsapi.PutLogEventsOutput, error) {
	events := make([]cwl.Event, 0, len(in.LogEvents))
	for _, e := range in.LogEvents {
		events = append(events, cwl.Event{Time: optional.Value(e.Timestamp), Message: optional.Value(e.Message)})
	}
	token, rejected, err := s.logs.PutLogEvents(ctx, caller(req), optional.Value(in.LogGroupName), optional.Value(in.LogStreamName), events)
	if err != nil {
		return nil, err
	}
	out := &logsapi.PutLogEventsOutput{NextSequenceToken: new(token)}
	if rejected.Any() {
		out.RejectedLogEventsInfo = &logsapi.RejectedLogEventsInfo{
			TooOldLogEventEndIndex:   index(rejected.TooOldEnd),
			ExpiredLogEventEndIndex:  index(rejected.ExpiredEnd),
			TooNewLogEventStartIndex: index(rejected.TooNewStart),
		}
	}
	return out, nil
}

// index is a rejected event's index, nil for none (-1).
func index(i int) *int32 {
	if i < 0 {
		return nil
	}
	return new(int32(i))
}

// GetLogEvents implements logsapi.Handler.
func (s *Service) GetLogEvents(ctx context.Context, req *awsproto.Request, in *logsapi.GetLogEventsInput) (*logsapi.GetLogEventsOutput, error) {
	res, err := s.logs.GetLogEvents(ctx, caller(req), cwl.GetQuery{
		Group:    groupRef(in.LogGroupName, in.LogGroupIdentifier),
		Stream:   optional.Value(in.LogStreamName),
		Start:    in.StartTime,
		End:      in.EndTime,
		FromHead: optional.Value(in.StartFromHead),
		Token:    optional.Value(in.NextToken),
		Limit:    int(optional.Value(in.Limit)),
	})
	if err != nil {
		return nil, err
	}
	out := &logsapi.GetLogEventsOutput{
		Events:            make([]logsapi.OutputLogEvent, 0, len(res.Events)),
		NextForwardToken:  new(res.Forward),
		NextBackwardToken: new(res.Backward),
	}
	for _, e := range res.Events {
		out.Events = append(out.Events, logsapi.OutputLogEvent{Timestamp: new(e.Time), IngestionTime: new(e.Ingested), Message: new(e.Message)})
	}
	return out, nil
}

// FilterLogEvents implements logsapi.Handler. Every search is interleaved
// (the flag is deprecated) and complete, so searchedLogStreams, deprecated
// too, is empty.
func (s *Service) FilterLogEvents(ctx context.Context, req *awsproto.Request, in *logsapi.FilterLogEventsInput) (*logsapi.FilterLogEventsOutput, error) {
	events, next, err := s.logs.FilterLogEvents(ctx, caller(req), cwl.FilterQuery{
		Group:   groupRef(in.LogGroupName, in.LogGroupIdentifier),
		Streams: in.LogStreamNames,
		Prefix:  optional.Value(in.LogStreamNamePrefix),
		Start:   in.StartTime,
		End:     in.EndTime,
		Pattern: optional.Value(in.FilterPattern),
		Token:   optional.Value(in.NextToken),
		Limit:   int(optional.Value(in.Limit)),
	})
	if err != nil {
		return nil, err
	}
	out := &logsapi.FilterLogEventsOutput{Events: make([]logsapi.FilteredLogEvent, 0, len(events)), NextToken: optional.String(next)}
	for _, e := range events {
		out.Events = append(out.Events, logsapi.FilteredLogEvent{
			LogStreamName: new(e.Stream),
			Timestamp:     new(e.Time),
			IngestionTime: new(e.Ingested),
			Message:       new(e.Message),
			EventId:       new(e.ID),
		})
	}
	return out, nil
}
