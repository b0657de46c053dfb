package logs

import (
	"context"

	"github.com/vpcemu/vpcemu/internal/api/logsapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	cwl "github.com/vpcemu/vpcemu/internal/cloud/logs"
	"github.com/vpcemu/vpcemu/internal/optional"
)

// CreateLogStream implements logsapi.Handler.
func (s *Service) CreateLogStream(ctx context.Context, req *awsproto.Request, in *logsapi.CreateLogStreamInput) (*logsapi.CreateLogStreamOutput, error) {
	return &logsapi.CreateLogStreamOutput{}, s.logs.CreateLogStream(ctx, caller(req), optional.Value(in.LogGroupName), optional.Value(in.LogStreamName))
}

// DeleteLogStream implements logsapi.Handler.
func (s *Service) DeleteLogStream(ctx context.Context, req *awsproto.Request, in *logsapi.DeleteLogStreamInput) (*logsapi.DeleteLogStreamOutput, error) {
	return &logsapi.DeleteLogStreamOutput{}, s.logs.DeleteLogStream(ctx, caller(req), optional.Value(in.LogGroupName), optional.Value(in.LogStreamName))
}

// DescribeLogStreams implements logsapi.Handler.
func (s *Service) DescribeLogStreams(ctx context.Context, req *awsproto.Request, in *logsapi.DescribeLogStreamsInput) (*logsapi.DescribeLogStreamsOutput, error) {
	streams, next, err := s.logs.DescribeLogStreams(ctx, caller(req), cwl.StreamQuery{
		Group:      groupRef(in.LogGroupName, in.LogGroupIdentifier),
		Prefix:     optional.Value(in.LogStreamNamePrefix),
		OrderBy:    optional.Value(in.OrderBy),
		Descending: optional.Value(in.Descending),
		Token:      optional.Value(in.NextToken),
		Limit:      int(optional.Value(in.Limit)),
	})
	if err != nil {
		return nil, err
	}
	out := &logsapi.DescribeLogStreamsOutput{LogStreams: make([]logsapi.LogStream, 0, len(streams)), NextToken: optional.String(next)}
	for _, st := range streams {
		ls := logsapi.LogStream{
			LogStreamName:       new(st.Name),
			Arn:                 new(st.ARN()),
			CreationTime:        new(st.Created),
			UploadSequenceToken: new(st.SequenceToken()),
			StoredBytes:         new(int64(0)), // deprecated: AWS answers 0
		}
		if st.LastIngestion != 0 {
			ls.FirstEventTimestamp, ls.LastEventTimestamp, ls.LastIngestionTime = new(st.First), new(st.Last), new(st.LastIngestion)
		}
		out.LogStreams = append(out.LogStreams, ls)
	}
	return out, nil
}
